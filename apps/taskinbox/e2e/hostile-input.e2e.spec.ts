import { headers, type NatsConnection } from '@nats-io/transport-node';
import { taskSubjects } from '@taskinbox/ingest';
import { call, connectTestNats, issueOutsideCreds, type TestApp, type TestOrganisation } from '@taskinbox/testing';
import { startOneProcessApp } from './one-process.fixture';

// Issue 9, case 4, as written, against the whole one-process app with its default limits:
// a NUL character in a task title, a lone surrogate, `?q=%00` and a payload nested 20,000
// levels deep each answered 500. Now each is a 400 naming the field, over HTTP and over NATS,
// and the event store is unchanged. (Per-lib tests go further: libs/ingest task.e2e and
// task-nats.e2e, libs/query inbox.e2e.)
jest.setTimeout(60_000);

let t: TestApp;
let org: TestOrganisation;
let nc: NatsConnection;

beforeAll(async () => {
  t = await startOneProcessApp({}, { natsQueue: 'ingest' });
  org = await t.createOrganisation('hostile');
  const creds = await issueOutsideCreds('hostile-input-test', t.config.nats.prefix);
  nc = await connectTestNats({ creds, inboxPrefix: '_INBOX.hostile-input-test' });
});
afterAll(async () => {
  await nc?.close();
  await t?.close();
});

const latestPosition = async (): Promise<string> =>
  (await t.pool.query<{ p: string }>('SELECT coalesce(max(global_position), 0)::text AS p FROM es_events')).rows[0].p;

const createTask = (rawBody: string) => call(t.url, 'POST', '/api/tasks', { token: org.tokens.service, rawBody });

/** A plain NATS request with the service's key; the body is sent as the JSON text given. */
async function natsRequest(subject: string, rawBody: string) {
  const h = headers();
  h.set('Authorization', `Bearer ${org.tokens.service}`);
  const reply = await nc.request(`${t.config.nats.prefix}.${subject}`, rawBody, { timeout: 10_000, headers: h });
  return reply.json<{ response?: unknown; err?: any }>();
}

// `\ud800` inside JSON text: the server's JSON.parse makes it the lone surrogate itself.
const loneSurrogate = '{"type":"refund.approval","title":"Refund \\ud800"}';
const nul = JSON.stringify({ type: 'refund.approval', title: 'Refund\u0000order' });
const deep = `{"type":"refund.approval","title":"x","payload":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`;
const deepField = `payload${'.a'.repeat(31)}`;

describe('refused with 400 naming the field, and nothing appended', () => {
  let before: string;
  beforeEach(async () => {
    before = await latestPosition();
  });
  afterEach(async () => {
    expect(await latestPosition()).toBe(before);
  });

  it('HTTP: a NUL character in a task title', async () => {
    const { status, body } = await createTask(nul);
    expect(status).toBe(400);
    expect(body.details).toEqual([
      { field: 'title', in: 'body', problems: ['must not contain NUL characters (\\u0000)'] },
    ]);
  });

  it('HTTP: a lone surrogate in a task title', async () => {
    const { status, body } = await createTask(loneSurrogate);
    expect(status).toBe(400);
    expect(body.details).toEqual([
      { field: 'title', in: 'body', problems: ['must not contain unpaired UTF-16 surrogates'] },
    ]);
  });

  it('HTTP: GET /api/inbox/tasks?q=%00', async () => {
    const { status, body } = await call(t.url, 'GET', '/api/inbox/tasks?q=%00', { token: org.tokens.viewer });
    expect(status).toBe(400);
    expect(body.details).toEqual([
      { field: 'q', in: 'query', problems: ['must not contain NUL characters (\\u0000)'] },
    ]);
  });

  it('HTTP: a payload nested 20,000 levels deep', async () => {
    const { status, body } = await createTask(deep);
    expect(status).toBe(400);
    expect(body.details).toEqual([{ field: deepField, in: 'body', problems: ['is nested deeper than 32 levels'] }]);
  });

  it('HTTP: a null among a job\'s actions (found by the fuzz suite: class-transformer threw)', async () => {
    const { status, body } = await call(t.url, 'POST', '/api/jobs', {
      token: org.tokens.admin,
      body: { name: 'nightly', actions: [null] },
    });
    expect(status).toBe(400);
    expect(body.details).toEqual([{ field: 'actions.0', in: 'body', problems: ['actions.0 must be an object, not null'] }]);
  });

  it('HTTP: a list where an object belongs (a schedule rule\'s target; found by the fuzz suite: it reached the code as an object)', async () => {
    for (const target of [[], undefined]) {
      const rule = { days: [1], start: '09:00', end: '17:00', target };
      const { status, body } = await call(t.url, 'POST', '/api/oncall/schedules', {
        token: org.tokens.admin,
        body: { name: 'support', timeZone: 'Europe/Berlin', rules: [rule] },
      });
      expect([target, status]).toEqual([target, 400]);
      expect(body.details).toEqual([{ field: 'rules.0.target', problems: expect.arrayContaining(['target must be an object']) }]);
    }
    // A list inside a list of objects, likewise (urgency rules: [[]] reached the code).
    const nested = await call(t.url, 'PUT', '/api/urgency-rules', { token: org.tokens.admin, body: { rules: [[]] } });
    expect(nested.status).toBe(400);
    expect(nested.body.message).toMatch(/rules/);
  });

  it('HTTP: a date PostgreSQL cannot hold (found by the fuzz suite: a year of -89141 reached the query)', async () => {
    const { status, body } = await call(t.url, 'POST', '/api/webhooks/endpoints/0193f1a2-7c3e-7d4a-9c1b-2f4e6a8b0c1d/recover', {
      token: org.tokens.admin,
      body: { since: '-089141-01-06T05:28:16.002Z' },
    });
    expect(status).toBe(400);
    expect(body.details).toEqual([{ field: 'since', problems: ['since must be 1970 or later'] }]);
  });

  it('NATS: a NUL character in a task title', async () => {
    const { err } = await natsRequest(taskSubjects.create, nul);
    expect(err).toMatchObject({
      statusCode: 400,
      details: [{ field: 'title', in: 'body', problems: ['must not contain NUL characters (\\u0000)'] }],
    });
  });

  it('NATS: a lone surrogate in a task title', async () => {
    const { err } = await natsRequest(taskSubjects.create, loneSurrogate);
    expect(err).toMatchObject({
      statusCode: 400,
      details: [{ field: 'title', problems: ['must not contain unpaired UTF-16 surrogates'] }],
    });
  });

  it("NATS: a NUL character in a look-up's task id (what ?q=%00 is over HTTP)", async () => {
    const { err } = await natsRequest(taskSubjects.get, JSON.stringify({ taskId: '\u0000' }));
    expect(err).toMatchObject({
      statusCode: 400,
      details: [{ field: 'taskId', in: 'body', problems: ['must not contain NUL characters (\\u0000)'] }],
    });
  });

  it('NATS: a payload nested 20,000 levels deep', async () => {
    const { err } = await natsRequest(taskSubjects.create, deep);
    expect(err).toMatchObject({
      statusCode: 400,
      details: [{ field: deepField, problems: ['is nested deeper than 32 levels'] }],
    });
  });
});

it('a lone surrogate typed into a JavaScript string never reaches the server as one: fetch sends U+FFFD', async () => {
  // Why the tests above send JSON text (`\ud800` escaped): a raw surrogate in the string given
  // to fetch is encoded as UTF-8 with the replacement character, and the task is created.
  const { status, body } = await call(t.url, 'POST', '/api/tasks', {
    token: org.tokens.service,
    rawBody: '{"type":"a","title":"x\ud800"}',
  });
  expect(status).toBe(201);
  expect(body.title).toBe('x\ufffd');
});
