import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { IngestModule } from '@taskinbox/ingest';
import { natsNames, RelayModule } from '@taskinbox/messaging';
import {
  call,
  connectTestNats,
  natsRefusal,
  startTestApp,
  type TestApp,
  type TestOrganisation,
} from '@taskinbox/testing';
import { EventReadersModule } from './event-readers.module';

// Organisations' event readers against the run's nats-server: issued and revoked over the API,
// then used as an outside event consumer would, with the creds shown once.
jest.setTimeout(30_000);

let t: TestApp;
let acme: TestOrganisation;
let globex: TestOrganisation;
const open: NatsConnection[] = [];

beforeAll(async () => {
  t = await startTestApp({
    imports: [IngestModule, RelayModule.forRoot({ standbyPollMs: 100, retryMinMs: 50 }), EventReadersModule],
  });
  [acme, globex] = await Promise.all([t.createOrganisation('acme'), t.createOrganisation('globex')]);
});
afterAll(async () => {
  for (const nc of open) await nc.close().catch(() => undefined);
  await t?.close();
});

interface Issued {
  id: string;
  natsName: string;
  creds: string;
  subjects: { live: string; inboxPrefix: string };
  jetstream: { apiPrefix: string; stream: string; consumer: string };
}

async function issue(org: TestOrganisation, name = 'warehouse'): Promise<Issued> {
  const created = await call(t.url, 'POST', '/api/event-readers', { token: org.tokens.admin, body: { name } });
  expect(created.status).toBe(201);
  return created.body;
}

async function connectAs(reader: Issued): Promise<NatsConnection> {
  const nc = await connectTestNats({
    creds: reader.creds,
    inboxPrefix: reader.subjects.inboxPrefix,
    name: reader.natsName,
  });
  open.push(nc);
  return nc;
}

async function eventually<T>(
  what: string,
  read: () => T | Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('event readers API', () => {
  it('lets an admin issue one, shows the creds once, and lists it for its own organisation only', async () => {
    const names = natsNames(t.config.nats.prefix);
    const reader = await issue(acme, 'billing warehouse');
    expect(reader).toMatchObject({
      name: 'billing warehouse',
      natsName: `reader-${reader.id}`,
      userKey: expect.stringMatching(/^U[A-Z2-7]{55}$/),
      revokedAt: null,
      subjects: { live: `${names.events}.${acme.id}.>`, inboxPrefix: `_INBOX.reader-${reader.id}` },
      jetstream: { apiPrefix: 'js.api', stream: names.stream, consumer: `reader-${reader.id}` },
    });
    expect(reader.creds).toContain('BEGIN USER NKEY SEED');
    await issue(globex);

    const listed = await call(t.url, 'GET', '/api/event-readers', { token: acme.tokens.admin });
    expect(listed.status).toBe(200);
    expect(listed.body.map((item: { id: string }) => item.id)).toContain(reader.id);
    expect(listed.body.every((item: Record<string, unknown>) => item.creds === undefined)).toBe(true);
    const theirs = await call(t.url, 'GET', '/api/event-readers', { token: globex.tokens.admin });
    expect(theirs.body.map((item: { id: string }) => item.id)).not.toContain(reader.id);
  });

  it('refuses lesser roles, services, strangers, other organisations and bad input', async () => {
    const reader = await issue(acme);
    for (const token of [acme.tokens.member, acme.tokens.viewer, acme.tokens.service]) {
      expect((await call(t.url, 'POST', '/api/event-readers', { token, body: { name: 'x' } })).status).toBe(403);
      expect((await call(t.url, 'GET', '/api/event-readers', { token })).status).toBe(403);
      expect((await call(t.url, 'DELETE', `/api/event-readers/${reader.id}`, { token })).status).toBe(403);
    }
    expect((await call(t.url, 'GET', '/api/event-readers')).status).toBe(401);
    // Another organisation's reader answers like a missing one, and stays.
    const foreign = await call(t.url, 'DELETE', `/api/event-readers/${reader.id}`, { token: globex.tokens.admin });
    expect(foreign).toMatchObject({ status: 404, body: { message: 'Event reader not found.' } });
    expect(
      (await call(t.url, 'DELETE', `/api/event-readers/${randomUUID()}`, { token: acme.tokens.admin })).status,
    ).toBe(404);
    expect((await call(t.url, 'DELETE', '/api/event-readers/not-a-uuid', { token: acme.tokens.admin })).status).toBe(
      400,
    );
    for (const body of [{}, { name: '' }, { name: 'x'.repeat(101) }, { name: 'two\nlines' }, { name: 7 }]) {
      const refused = await call(t.url, 'POST', '/api/event-readers', { token: acme.tokens.admin, body });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toMatch(/name/);
    }
    const listed = await call(t.url, 'GET', '/api/event-readers', { token: acme.tokens.admin });
    expect(listed.body.find((item: { id: string }) => item.id === reader.id)).toMatchObject({ revokedAt: null });
  });

  it('is documented with its response schemas', async () => {
    const { body } = await call(t.url, 'GET', '/api/docs/openapi.json');
    const paths = body.paths;
    expect(paths['/api/event-readers'].post.responses['201'].content['application/json'].schema.$ref).toMatch(
      /EventReaderCreatedView$/,
    );
    expect(paths['/api/event-readers'].get.responses['200'].content['application/json'].schema.items.$ref).toMatch(
      /EventReaderView$/,
    );
    expect(paths['/api/event-readers/{id}'].delete.responses['204']).toBeDefined();
    expect(Object.keys(body.components.schemas.EventReaderCreatedView.properties)).toEqual(
      expect.arrayContaining(['creds', 'subjects', 'jetstream', 'userKey']),
    );
  });
});

describe('an event reader on NATS', () => {
  it("receives its own organisation's events, live and from its own consumer, and is refused another's", async () => {
    const reader = await issue(acme);
    const others = await issue(globex);
    const nc = await connectAs(reader);
    const live: string[] = [];
    nc.subscribe(reader.subjects.live, { callback: (_error, message) => void live.push(message.subject) });
    await nc.flush();

    const acmeTask = await acme.createTask('refund.approval');
    await globex.createTask('content.flag');
    const names = natsNames(t.config.nats.prefix);
    await eventually(
      'the live event',
      () => live,
      (seen) => seen.length > 0,
    );
    expect(live).toEqual([`${names.events}.${acme.id}.TaskCreated.refund.approval`]);

    const js = jetstream(nc, { apiPrefix: reader.jetstream.apiPrefix });
    const consumer = await js.consumers.get(reader.jetstream.stream, reader.jetstream.consumer);
    const pulled: { subject: string; taskId: string }[] = [];
    const batch = await consumer.fetch({ max_messages: 10, expires: 2000 });
    for await (const message of batch) {
      pulled.push({ subject: message.subject, taskId: message.json<{ taskId: string }>().taskId });
      message.ack();
    }
    expect(pulled).toEqual([{ subject: `${names.events}.${acme.id}.TaskCreated.refund.approval`, taskId: acmeTask }]);

    // Another organisation's events, live or from its consumer, and writing anything: refused.
    expect(await natsRefusal(nc, `${names.events}.${globex.id}.>`)).toMatch(/Permissions Violation for Subscription/);
    expect(await natsRefusal(nc, `${names.events}.>`)).toMatch(/Permissions Violation for Subscription/);
    expect(await natsRefusal(nc, `${names.commands}.>`)).toMatch(/Permissions Violation for Subscription/);
    await expect(js.consumers.get(others.jetstream.stream, others.jetstream.consumer)).rejects.toThrow(
      /Permissions Violation for Publish/,
    );
    await expect(nc.request(`${names.commands}.create`, '{}', { timeout: 2000 })).rejects.toThrow(
      /Permissions Violation for Publish/,
    );
  });

  it('is cut off within seconds of being revoked, and refused from then on', async () => {
    const reader = await issue(acme);
    const nc = await connectAs(reader);
    await nc.flush();
    const cutOff = new Promise<{ at: number; why: string }>((resolve) => {
      void (async () => {
        for await (const status of nc.status()) {
          if (status.type === 'error' || status.type === 'disconnect')
            return resolve({ at: Date.now(), why: String('error' in status ? status.error : status.type) });
        }
      })();
    });

    const started = Date.now();
    const revoked = await call(t.url, 'DELETE', `/api/event-readers/${reader.id}`, { token: acme.tokens.admin });
    expect(revoked.status).toBe(204);
    const { at, why } = await Promise.race([
      cutOff,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('still connected 5 s after the revocation')), 5000),
      ),
    ]);
    expect(why).toMatch(/Revoked/);
    console.log(`event reader revoked: cut off ${at - started} ms after DELETE was sent`);
    // It does not get back in: the client's reconnect is refused, and so is a new connection.
    await expect(nc.closed()).resolves.toMatchObject({ message: expect.stringMatching(/Authorization Violation/) });
    await expect(connectTestNats({ creds: reader.creds, inboxPrefix: reader.subjects.inboxPrefix })).rejects.toThrow(
      /Authorization Violation/,
    );
    const listed = await call(t.url, 'GET', '/api/event-readers', { token: acme.tokens.admin });
    expect(listed.body.find((item: { id: string }) => item.id === reader.id).revokedAt).toEqual(expect.any(String));
    // Its consumer is gone; revoking again is harmless.
    const services = await connectTestNats();
    open.push(services);
    await expect(jetstream(services).consumers.get(reader.jetstream.stream, reader.jetstream.consumer)).rejects.toThrow(
      /consumer not found/,
    );
    expect((await call(t.url, 'DELETE', `/api/event-readers/${reader.id}`, { token: acme.tokens.admin })).status).toBe(
      204,
    );
  });
});
