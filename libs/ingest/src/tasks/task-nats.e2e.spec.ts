import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { call, startTestApp, type TestApp, type TestOrganisation } from '@taskinbox/testing';
import { IngestModule } from '../ingest.module';
import { taskSubjects } from './task.subjects';

// A plain NATS client, as a sending service without Nest would use it.
let t: TestApp;
let acme: TestOrganisation;
let nc: NatsConnection;

beforeAll(async () => {
  // A queue group of its own, so other test files' listeners never answer these requests.
  t = await startTestApp({ imports: [IngestModule], natsQueue: `test-${randomUUID()}` });
  acme = await t.createOrganisation('acme');
  nc = await connect({ servers: t.config.natsUrl });
});
afterAll(async () => {
  await nc?.close();
  await t?.close();
});

async function request(subject: string, body: unknown, token?: string) {
  const h = headers();
  if (token) h.set('Authorization', `Bearer ${token}`);
  h.set('x-correlation-id', 'nats-test-correlation');
  const reply = await nc.request(subject, JSON.stringify(body), { timeout: 5000, headers: h });
  return reply.json<{ response?: any; err?: any }>();
}

describe('task commands over NATS request/reply', () => {
  it('creates a task with an API key and an admin claims it', async () => {
    const created = await request(taskSubjects.create, { type: 'user.onboard', title: 'Onboard Ann', idempotencyKey: 'ann' }, acme.tokens.service);
    expect(created.err).toBeUndefined();
    expect(created.response).toMatchObject({ status: 'pending', version: 0, title: 'Onboard Ann' });

    const claimed = await request(taskSubjects.claim, { taskId: created.response.id }, acme.tokens.admin);
    expect(claimed.response).toMatchObject({ status: 'processing', version: 1 });

    // The HTTP API sees the same task.
    const viaHttp = await call(t.url, 'GET', `/api/tasks/${created.response.id}`, { token: acme.tokens.viewer });
    expect(viaHttp.body.status).toBe('processing');
  });

  it('replies with the same error bodies as HTTP', async () => {
    const invalid = await request(taskSubjects.create, { type: 'x', title: '' }, acme.tokens.service);
    expect(invalid.err).toMatchObject({ statusCode: 400, correlationId: 'nats-test-correlation' });
    expect(invalid.err.message).toMatch(/title/);

    const anonymous = await request(taskSubjects.create, { type: 'x', title: 'y' });
    expect(anonymous.err).toMatchObject({ statusCode: 401 });

    const missing = await request(taskSubjects.claim, { taskId: randomUUID() }, acme.tokens.admin);
    expect(missing.err).toMatchObject({ statusCode: 404, message: 'Task not found.' });
  });
});
