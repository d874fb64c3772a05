import { connect as connectTcp, type Socket } from 'node:net';
import { type NatsServerProcess, startNatsServer } from './nats-server';

// A client slower than nats-server's default 2 s between INFO and CONNECT (a busy Jest worker)
// must still get its connection: the test servers wait longer before "Authentication Timeout".
jest.setTimeout(30_000);

let server: NatsServerProcess;
beforeAll(async () => {
  server = await startNatsServer({ label: 'auth-timeout' });
});
afterAll(async () => {
  await server?.remove();
});

it('keeps a connection open 3 s after INFO while the client has not sent CONNECT yet', async () => {
  const socket: Socket = connectTcp(server.port, '127.0.0.1');
  const received: string[] = [];
  let closed = false;
  socket.on('data', (chunk) => received.push(chunk.toString()));
  socket.on('close', () => (closed = true));
  socket.on('error', () => undefined);
  try {
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(received.join('')).toMatch(/^INFO /);
    expect(received.join('')).not.toContain('Authentication Timeout');
    expect(closed).toBe(false);
  } finally {
    socket.destroy();
  }
});
