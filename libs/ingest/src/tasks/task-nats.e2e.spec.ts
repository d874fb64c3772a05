import { headers, type NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { call, connectTestNats, issueOutsideCreds, startTestApp, type TestApp, type TestOrganisation } from '@taskinbox/testing';
import { IngestModule } from '../ingest.module';
import { taskSubjects } from './task.subjects';

// A plain NATS client, as a sending service without Nest would use it: an outside service's user
// (OUTSIDE account), whose requests reach only taskinbox's services.
jest.setTimeout(30_000);

let t: TestApp;
let acme: TestOrganisation;
let nc: NatsConnection;

beforeAll(async () => {
  // Its subject prefix is this file's own, so other test files' listeners never answer these requests.
  t = await startTestApp({ imports: [IngestModule], natsQueue: 'ingest' });
  acme = await t.createOrganisation('acme');
  const creds = await issueOutsideCreds('ingest-test', t.config.nats.prefix);
  nc = await connectTestNats({ creds, inboxPrefix: '_INBOX.ingest-test' });
});
afterAll(async () => {
  await nc?.close();
  await t?.close();
});

/** `body` is sent as JSON, or as it is when it is already text or bytes. */
async function request(subject: string, body: unknown, token?: string) {
  const h = headers();
  if (token) h.set('Authorization', `Bearer ${token}`);
  h.set('x-correlation-id', 'nats-test-correlation');
  const data = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
  const reply = await nc.request(`${t.config.nats.prefix}.${subject}`, data, { timeout: 5000, headers: h });
  return reply.json<{ response?: any; err?: any }>();
}
const eventCount = async (): Promise<number> => Number((await t.pool.query('SELECT count(*) AS n FROM es_events')).rows[0].n);

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

describe('every command of the table answers over NATS with the same rules as over HTTP', () => {
  it('a viewer may not claim; a service may not hold; a member holds with a reason and resumes', async () => {
    const created = await request(taskSubjects.create, { type: 'a', title: 'table' }, acme.tokens.service);
    const taskId = created.response.id;
    expect((await request(taskSubjects.claim, { taskId }, acme.tokens.viewer)).err).toMatchObject({ statusCode: 403 });
    expect((await request(taskSubjects.hold, { taskId }, acme.tokens.service)).err).toMatchObject({ statusCode: 403 });
    const held = await request(taskSubjects.hold, { taskId, reason: 'waiting on finance' }, acme.tokens.member);
    expect(held.response).toMatchObject({ status: 'waiting' });
    expect((await request(taskSubjects.resume, { taskId }, acme.tokens.member)).response).toMatchObject({ status: 'pending' });
    // The body DTO of the table is enforced: unknown fields are refused, as over HTTP.
    expect((await request(taskSubjects.comment, { taskId, body: 'x', extra: 1 }, acme.tokens.member)).err).toMatchObject({ statusCode: 400 });
  });
});

describe("completing without a resolution records 'done', as over HTTP", () => {
  it.each([
    [taskSubjects.complete, {}],
    [taskSubjects.changeStatus, { status: 'completed' }],
  ])('%s', async (subject, body) => {
    const created = await request(taskSubjects.create, { type: 'a', title: 'x' }, acme.tokens.service);
    await request(taskSubjects.claim, { taskId: created.response.id }, acme.tokens.member);
    const done = await request(subject, { taskId: created.response.id, ...body }, acme.tokens.member);
    expect(done.err).toBeUndefined();
    expect(done.response).toMatchObject({ status: 'completed', resolution: 'done' });
  });
});

describe('hostile input over NATS is refused before any handler, as over HTTP', () => {
  let before: number;
  beforeEach(async () => {
    before = await eventCount();
  });
  afterEach(async () => {
    expect(await eventCount()).toBe(before);
  });

  it('a NUL character or a lone surrogate in a title: 400 naming the field', async () => {
    const nul = await request(taskSubjects.create, { type: 'a', title: 'a\u0000b' }, acme.tokens.service);
    expect(nul.err).toMatchObject({ statusCode: 400, correlationId: 'nats-test-correlation' });
    expect(nul.err.details).toEqual([{ field: 'title', in: 'body', problems: ['must not contain NUL characters (\\u0000)'] }]);
    const surrogate = await request(taskSubjects.create, '{"type":"a","title":"\\udc00"}', acme.tokens.service);
    expect(surrogate.err).toMatchObject({ statusCode: 400, message: 'Invalid request: title must not contain unpaired UTF-16 surrogates.' });
  });

  it('a payload nested 20,000 levels deep: 400 naming the field', async () => {
    const deep = `{"type":"a","title":"x","payload":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`;
    const { err } = await request(taskSubjects.create, deep, acme.tokens.service);
    expect(err).toMatchObject({ statusCode: 400, details: [{ field: `payload${'.a'.repeat(31)}`, problems: ['is nested deeper than 32 levels'] }] });
  });

  it('bytes that are not UTF-8, and text that is not JSON: 400', async () => {
    const bytes = Buffer.concat([Buffer.from('{"type":"a","title":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    expect((await request(taskSubjects.create, new Uint8Array(bytes), acme.tokens.service)).err).toMatchObject({
      statusCode: 400,
      message: 'Invalid request: the body is not valid UTF-8.',
    });
    expect((await request(taskSubjects.create, '{"type": "a", title', acme.tokens.service)).err).toMatchObject({
      statusCode: 400,
      message: 'Malformed JSON body.',
    });
  });

  it('a NUL character in a header: 400 naming the header', async () => {
    const h = headers();
    h.set('Authorization', `Bearer ${acme.tokens.service}`);
    h.set('x-note', 'a\u0000b');
    const subject = `${t.config.nats.prefix}.${taskSubjects.create}`;
    const reply = await nc.request(subject, JSON.stringify({ type: 'a', title: 'x' }), { timeout: 5000, headers: h });
    expect(reply.json<{ err?: any }>().err).toMatchObject({ statusCode: 400, details: [{ field: 'x-note', in: 'header' }] });
  });
});
