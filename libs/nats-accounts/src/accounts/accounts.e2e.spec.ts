import { jetstreamManager } from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { IngestModule } from '@taskinbox/ingest';
import { natsNames, RelayModule } from '@taskinbox/messaging';
import {
  call,
  connectTestNats,
  natsRefusal,
  issueOutsideCreds,
  startTestApp,
  type TestApp,
  type TestOrganisation,
  testNats,
} from '@taskinbox/testing';

// Who may do what on NATS, against the run's own nats-server in operator mode: two installations
// (their own prefixes, databases and ingest) sharing its accounts, an outside service, a stranger.
jest.setTimeout(30_000);

let one: TestApp;
let two: TestApp;
let acme: TestOrganisation;
let globex: TestOrganisation;
const open: NatsConnection[] = [];

beforeAll(async () => {
  [one, two] = await Promise.all(
    [0, 1].map(() =>
      startTestApp({
        imports: [IngestModule, RelayModule.forRoot({ standbyPollMs: 100, retryMinMs: 50 })],
        natsQueue: 'ingest',
      }),
    ),
  );
  [acme, globex] = await Promise.all([one.createOrganisation('acme'), two.createOrganisation('globex')]);
});
afterAll(async () => {
  for (const nc of open) await nc.close().catch(() => undefined);
  await Promise.all([one?.close(), two?.close()]);
});

async function outside(name: string, prefix: string): Promise<NatsConnection> {
  const nc = await connectTestNats({
    creds: await issueOutsideCreds(name, prefix),
    inboxPrefix: `_INBOX.${name}`,
    name,
  });
  open.push(nc);
  return nc;
}

async function request(nc: NatsConnection, subject: string, body: unknown, token: string) {
  const h = headers();
  h.set('Authorization', `Bearer ${token}`);
  return (await nc.request(subject, JSON.stringify(body), { timeout: 5000, headers: h })).json<{
    response?: any;
    err?: any;
  }>();
}

const taskCount = async (t: TestApp) =>
  (await t.pool.query('SELECT count(*)::int AS n FROM es_streams WHERE stream_id LIKE $1', ['task-%'])).rows[0].n;

describe('NATS in operator mode', () => {
  it('refuses a connection without credentials', async () => {
    await expect(connect({ servers: testNats().url, maxReconnectAttempts: 0 })).rejects.toThrow(
      /Authorization Violation/,
    );
  });

  it('lets an outside service create a task by request/reply, and nothing more', async () => {
    const prefix = one.config.nats.prefix;
    const billing = await outside('billing', prefix);
    const created = await request(
      billing,
      `${prefix}.tasks.create`,
      { type: 'refund.approval', title: 'Refund #1' },
      acme.tokens.service,
    );
    expect(created.err).toBeUndefined();
    expect(created.response).toMatchObject({ status: 'pending', title: 'Refund #1' });
    const viaHttp = await call(one.url, 'GET', `/api/tasks/${created.response.id}`, { token: acme.tokens.viewer });
    expect(viaHttp.body).toMatchObject({ id: created.response.id, status: 'pending' });

    // It may not read other services' requests (their API keys), answer them, or read events.
    for (const [subject, queue] of [
      [`${prefix}.tasks.>`, undefined],
      [`${prefix}.tasks.create`, 'ingest'],
      [`${prefix}.events.>`, undefined],
      [`${prefix}.events.${acme.id}.>`, undefined],
      ['>', undefined],
    ] as const) {
      expect(await natsRefusal(billing, subject, queue)).toMatch(/Permissions Violation for Subscription/);
    }
    // Nor publish anything but commands (a forged event, say).
    const published = new Promise<string>((resolve) => {
      void (async () => {
        for await (const status of billing.status()) if (status.type === 'error') return resolve(String(status.error));
      })();
    });
    billing.publish(`${prefix}.events.${acme.id}.TaskCreated.x`, '{}');
    expect(await published).toMatch(/Permissions Violation for Publish/);
  });

  it('keeps two installations with different prefixes apart on one server and one set of accounts', async () => {
    const [first, second] = [natsNames(one.config.nats.prefix), natsNames(two.config.nats.prefix)];
    // taskinbox's services see the whole account: listen on the second installation's subjects.
    const watcher = await connectTestNats({ name: 'watcher' });
    open.push(watcher);
    const seen: string[] = [];
    watcher.subscribe(`${second.prefix}.>`, { callback: (_error, message) => void seen.push(message.subject) });
    await watcher.flush();
    const secondTasks = await taskCount(two);

    const service = await outside('crossing', first.prefix);
    for (let i = 0; i < 3; i++) {
      const created = await request(
        service,
        `${first.commands}.create`,
        { type: 'refund.approval', title: `Refund ${i}` },
        acme.tokens.service,
      );
      expect(created.response).toMatchObject({ status: 'pending' });
    }
    // The first installation's events reach its own stream only.
    const jsm = await jetstreamManager(watcher);
    const deadline = Date.now() + 10_000;
    while ((await jsm.streams.info(first.stream)).state.messages < 4 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect((await jsm.streams.info(first.stream)).state.messages).toBeGreaterThanOrEqual(4);
    expect((await jsm.streams.info(second.stream).catch(() => null))?.state.messages ?? 0).toBe(0);
    expect(await taskCount(two)).toBe(secondTasks);
    expect(seen).toEqual([]);

    // A service bound to the first prefix cannot reach the second installation at all.
    await expect(
      request(service, `${second.commands}.create`, { type: 'x', title: 'y' }, globex.tokens.service),
    ).rejects.toThrow(/Permissions Violation for Publish/);
    expect(await taskCount(two)).toBe(secondTasks);

    // The second installation answers its own.
    const own = await outside('own', second.prefix);
    const created = await request(
      own,
      `${second.commands}.create`,
      { type: 'content.flag', title: 'Flag' },
      globex.tokens.service,
    );
    expect(created.response).toMatchObject({ status: 'pending' });
    expect(await taskCount(two)).toBe(secondTasks + 1);
  });
});
