import { randomBytes, randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { IngestModule } from '@taskinbox/ingest';
import { call, startTestApp, type TestApp, type TestOrganisation } from '@taskinbox/testing';
import { InboundModule } from './inbound.module';

// Starting the app and waiting for the projector can take longer than Jest's 5 s on a loaded machine.
jest.setTimeout(60_000);

let t: TestApp;
let acme: TestOrganisation;
let globex: TestOrganisation;

beforeAll(async () => {
  t = await startTestApp({
    imports: [IngestModule, InboundModule],
    env: { WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64') },
  });
  [acme, globex] = await Promise.all([t.createOrganisation('acme'), t.createOrganisation('globex')]);
});
afterAll(() => t?.close());

interface Source {
  id: string;
  secret: string;
}

const register = async (org: TestOrganisation, body: Record<string, unknown>): Promise<Source> => {
  const { status, body: created } = await call(t.url, 'POST', '/api/inbound/sources', {
    token: org.tokens.admin,
    body,
  });
  expect(status).toBe(201);
  expect(created.secret).toMatch(/^whsec_/);
  return created as Source;
};

const newTask = async (org: TestOrganisation, extra: Record<string, unknown> = {}): Promise<string> => {
  const { status, body } = await call(t.url, 'POST', '/api/tasks', {
    token: org.tokens.service,
    body: { type: 'parcel.lost', title: 'Parcel 88 lost', ...extra },
  });
  expect(status).toBe(201);
  return body.id as string;
};

/** Posts `event` signed by the standardwebhooks package, as a sender's own library would. */
const post = async (source: Source, event: unknown, options: { id?: string; at?: Date; secret?: string } = {}) => {
  const id = options.id ?? `msg_${randomUUID()}`;
  const at = options.at ?? new Date();
  const payload = JSON.stringify(event);
  const signature = new Webhook(options.secret ?? source.secret).sign(id, at, payload);
  const headers = {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signature,
  };
  return { id, ...(await call(t.url, 'POST', `/api/inbound/${source.id}`, { rawBody: payload, headers })) };
};

const eventsOf = async (taskId: string) =>
  (
    await t.pool.query<{ type: string; metadata: Record<string, unknown> }>(
      `SELECT event_type AS type, metadata FROM es_events WHERE stream_id = $1 ORDER BY stream_revision`,
      [`task-${taskId}`],
    )
  ).rows;
const replayRows = async (sourceId: string): Promise<number> =>
  Number((await t.pool.query(`SELECT count(*) AS n FROM inbound_messages WHERE source_id = $1`, [sourceId])).rows[0].n);

describe('inbound sources', () => {
  it('are registered, listed without their secret and deleted by admins only', async () => {
    const source = await register(acme, { name: 'Carrier', kind: 'third_party', key: 'carrier-list' });
    const listed = await call(t.url, 'GET', '/api/inbound/sources', { token: acme.tokens.admin });
    expect(listed.body).toContainEqual(
      expect.objectContaining({ id: source.id, kind: 'third_party', key: 'carrier-list' }),
    );
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');
    expect((await call(t.url, 'GET', '/api/inbound/sources', { token: acme.tokens.member })).status).toBe(403);
    expect((await call(t.url, 'GET', `/api/inbound/sources/${source.id}`, { token: globex.tokens.admin })).status).toBe(
      404,
    );
    expect(
      (await call(t.url, 'DELETE', `/api/inbound/sources/${source.id}`, { token: acme.tokens.admin })).status,
    ).toBe(204);
    expect((await call(t.url, 'GET', `/api/inbound/sources/${source.id}`, { token: acme.tokens.admin })).status).toBe(
      404,
    );
  });

  it('refuses a sender without an API key of the organisation, and a key used twice', async () => {
    const foreign = await call(t.url, 'POST', '/api/inbound/sources', {
      token: acme.tokens.admin,
      body: { name: 'x', kind: 'sender', key: 'x', apiKeyId: globex.serviceId },
    });
    expect(foreign.status).toBe(400);
    await register(acme, { name: 'y', kind: 'third_party', key: 'twice' });
    const again = await call(t.url, 'POST', '/api/inbound/sources', {
      token: acme.tokens.admin,
      body: { name: 'z', kind: 'third_party', key: 'twice' },
    });
    expect(again.status).toBe(409);
  });
});

describe('signed inbound events', () => {
  let sender: Source;
  let carrier: Source;
  beforeAll(async () => {
    sender = await register(acme, { name: 'Shop', kind: 'sender', key: 'shop', apiKeyId: acme.serviceId });
    carrier = await register(acme, { name: 'Carrier', kind: 'third_party', key: 'carrier' });
  });

  it('accepts a signed message once: a replay of the same webhook-id is 401 and writes nothing', async () => {
    const taskId = await newTask(acme);
    const first = await post(sender, { type: 'task.info', taskId, info: { trackingNumber: 'ZX81' } });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ taskId, version: 1 });
    const events = await eventsOf(taskId);
    expect(events.map((event) => event.type)).toEqual(['TaskCreated', 'TaskInfoPosted']);
    expect(events[1].metadata).toMatchObject({
      actor: `service:${acme.serviceId}`,
      inboundSourceId: sender.id,
      inboundMessageId: first.id,
    });

    const replay = await post(
      sender,
      { type: 'task.info', taskId, info: { trackingNumber: 'ZX81' } },
      { id: first.id },
    );
    expect(replay.status).toBe(401);
    expect(replay.body.details).toEqual({ code: 'inbound_replayed' });
    expect(await eventsOf(taskId)).toHaveLength(2);
    expect(await replayRows(sender.id)).toBe(1);
  });

  it('accepts one of several concurrent copies of a message, and many different messages at once', async () => {
    const taskId = await newTask(acme);
    const id = `msg_${randomUUID()}`;
    const copies = await Promise.all(
      Array.from({ length: 6 }, () => post(sender, { type: 'task.info', taskId, info: { copy: true } }, { id })),
    );
    expect(copies.map((copy) => copy.status).sort()).toEqual([202, 401, 401, 401, 401, 401]);
    const many = await Promise.all(
      Array.from({ length: 12 }, (_, n) => post(sender, { type: 'task.info', taskId, info: { n } })),
    );
    expect(many.map((answer) => answer.status)).toEqual(Array.from({ length: 12 }, () => 202));
    expect((await eventsOf(taskId)).filter((event) => event.type === 'TaskInfoPosted')).toHaveLength(13);
  });

  it('refuses a stale timestamp and a bad signature with 401, writing no event and no replay row', async () => {
    const taskId = await newTask(acme);
    const rowsBefore = await replayRows(sender.id);
    const stale = await post(
      sender,
      { type: 'task.info', taskId, info: { a: 1 } },
      { at: new Date(Date.now() - 6 * 60_000) },
    );
    expect(stale.status).toBe(401);
    expect(stale.body.details).toEqual({ code: 'inbound_timestamp_stale' });
    const future = await post(
      sender,
      { type: 'task.info', taskId, info: { a: 1 } },
      { at: new Date(Date.now() + 6 * 60_000) },
    );
    expect(future.status).toBe(401);
    const forged = await post(sender, { type: 'task.cancel', taskId }, { secret: carrier.secret });
    expect(forged.status).toBe(401);
    expect(forged.body.details).toEqual({ code: 'inbound_signature_invalid' });
    const unsigned = await call(t.url, 'POST', `/api/inbound/${sender.id}`, { body: { type: 'task.cancel', taskId } });
    expect(unsigned.status).toBe(401);
    expect((await eventsOf(taskId)).map((event) => event.type)).toEqual(['TaskCreated']);
    expect(await replayRows(sender.id)).toBe(rowsBefore);
    // A refused message's id stays free: the genuine one with it is accepted afterwards.
    expect((await post(sender, { type: 'task.info', taskId, info: { a: 1 } }, { id: stale.id })).status).toBe(202);
  });

  it("lets the sender cancel its own task, and nobody else's", async () => {
    const own = await newTask(acme);
    const cancelled = await post(sender, { type: 'task.cancel', taskId: own, reason: 'order withdrawn' });
    expect(cancelled.status).toBe(202);
    expect((await eventsOf(own)).map((event) => event.type)).toEqual(['TaskCreated', 'TaskCancelled']);
    const byOtherKey = await acme.issueApiKey(['tasks:write']);
    const others = (
      await call(t.url, 'POST', '/api/tasks', { token: byOtherKey.key, body: { type: 'x', title: 'other sender' } })
    ).body.id as string;
    expect((await post(sender, { type: 'task.cancel', taskId: others })).status).toBe(404);
    expect(await eventsOf(others)).toHaveLength(1);
  });

  it('lets a third party post info only on tasks that name it, and never cancel', async () => {
    const named = await newTask(acme, { tags: ['third-party:carrier'] });
    const unnamed = await newTask(acme, { tags: ['third-party:someone-else'] });
    const foreign = await newTask(globex, { tags: ['third-party:carrier'] });
    expect((await post(carrier, { type: 'task.info', taskId: named, info: { scan: 'Leipzig hub' } })).status).toBe(202);
    const events = await eventsOf(named);
    expect(events.map((event) => event.type)).toEqual(['TaskCreated', 'TaskInfoPosted']);
    expect(events[1].metadata).toMatchObject({ actor: `service:${carrier.id}` });

    const cancel = await post(carrier, { type: 'task.cancel', taskId: named });
    expect(cancel.status).toBe(403);
    expect(cancel.body.details).toEqual({ code: 'inbound_action_not_allowed' });
    expect((await post(carrier, { type: 'task.info', taskId: unnamed, info: { scan: 'x' } })).status).toBe(404);
    expect((await post(carrier, { type: 'task.info', taskId: foreign, info: { scan: 'x' } })).status).toBe(404);
    expect(await eventsOf(named)).toHaveLength(2);
    expect(await eventsOf(unnamed)).toHaveLength(1);
    expect(await eventsOf(foreign)).toHaveLength(1);
    expect(await replayRows(carrier.id)).toBe(1);
  });

  it('answers hostile input with 4xx', async () => {
    const taskId = await newTask(acme);
    expect((await post(sender, { type: 'task.info', taskId })).status).toBe(400);
    expect((await post(sender, { type: 'task.delete', taskId })).status).toBe(400);
    expect((await call(t.url, 'POST', '/api/inbound/not-a-uuid', { body: {} })).status).toBe(400);
    const unknown = await post({ id: randomUUID(), secret: sender.secret }, { type: 'task.info', taskId, info: {} });
    expect(unknown.status).toBe(401);
    const badHeaders = await call(t.url, 'POST', `/api/inbound/${sender.id}`, {
      body: { type: 'task.info', taskId, info: {} },
      headers: { 'webhook-id': 'x y', 'webhook-timestamp': '1e9', 'webhook-signature': 'v1,AAAA' },
    });
    expect(badHeaders.status).toBe(401);
  });
});
