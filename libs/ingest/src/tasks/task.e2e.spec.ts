import { call, startTestApp, type TestApp, type TestOrganisation } from '@taskinbox/testing';
import { IngestModule } from '../ingest.module';

let t: TestApp;
let acme: TestOrganisation;
let globex: TestOrganisation;

beforeAll(async () => {
  t = await startTestApp({ imports: [IngestModule], env: { BODY_LIMIT_BYTES: '65536', INPUT_MAX_STRING_LENGTH: '60000' } });
  [acme, globex] = await Promise.all([t.createOrganisation('acme'), t.createOrganisation('globex')]);
});
afterAll(() => t?.close());

const api = (method: string, path: string, token: string, body?: unknown, headers?: Record<string, string>) =>
  call(t.url, method, path, { token, body, headers });
const eventCount = async (): Promise<number> =>
  Number((await t.pool.query('SELECT count(*) AS n FROM es_events')).rows[0].n);
const newTask = async (org = acme, extra: Record<string, unknown> = {}) => {
  const { status, body } = await api('POST', '/api/tasks', org.tokens.service, { type: 'refund.approval', title: 'Refund order 1042', ...extra });
  expect(status).toBe(201);
  return body as { id: string; status: string; version: number };
};

describe('creating tasks', () => {
  it('answers 201 with the id, status pending and the stream version', async () => {
    const { status, body } = await api('POST', '/api/tasks', acme.tokens.service, {
      type: 'refund.approval',
      title: 'Refund order 1042',
      payload: { orderId: 1042, amount: 25 },
      dueAt: '2026-12-01T17:00:00Z',
      tags: ['refund'],
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({ status: 'pending', version: 0, title: 'Refund order 1042', payload: { orderId: 1042, amount: 25 } });
    expect(body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/); // UUIDv7: sortable by creation time
    expect(body.source).toMatchObject({ kind: 'service', id: acme.serviceId });
  });

  it('returns the same task and appends nothing when retried with the same Idempotency-Key', async () => {
    const request = { type: 'refund.approval', title: 'Refund order 7' };
    const first = await api('POST', '/api/tasks', acme.tokens.service, request, { 'idempotency-key': 'order-7-refund' });
    const before = await eventCount();
    const again = await api('POST', '/api/tasks', acme.tokens.service, request, { 'idempotency-key': 'order-7-refund' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await eventCount()).toBe(before);
  });

  it('refuses a reused Idempotency-Key with a different body (422)', async () => {
    await api('POST', '/api/tasks', acme.tokens.service, { type: 'a', title: 'one' }, { 'idempotency-key': 'reused-key' });
    const { status, body } = await api('POST', '/api/tasks', acme.tokens.service, { type: 'a', title: 'two' }, { 'idempotency-key': 'reused-key' });
    expect(status).toBe(422);
    expect(body.message).toMatch(/Idempotency-Key/);
  });

  it('treats a retry whose JSON lists the same fields in another order as the same request', async () => {
    const first = await api('POST', '/api/tasks', acme.tokens.service, { type: 'a', title: 'ordered', tags: ['x'] }, { 'idempotency-key': 'reordered' });
    const again = await api('POST', '/api/tasks', acme.tokens.service, { tags: ['x'], title: 'ordered', type: 'a' }, { 'idempotency-key': 'reordered' });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
  });

  it('a refused create neither writes nor uses up its Idempotency-Key: the corrected retry creates the task', async () => {
    const before = await eventCount();
    // Passes the DTO (not empty) but the domain refuses it (nothing but spaces).
    const refused = await api('POST', '/api/tasks', acme.tokens.service, { type: 'a', title: '   ' }, { 'idempotency-key': 'first-try-wrong' });
    expect(refused.status).toBe(400);
    expect(await eventCount()).toBe(before);
    const corrected = await api('POST', '/api/tasks', acme.tokens.service, { type: 'a', title: 'Refund 9' }, { 'idempotency-key': 'first-try-wrong' });
    expect(corrected.status).toBe(201);
    expect(corrected.body.idempotencyKey).toBe('first-try-wrong');
  });

  it('binds the key in the task\'s own first event: 20 concurrent retries make one task and one write', async () => {
    const before = await eventCount();
    const request = { type: 'refund.approval', title: 'Refund order 8' };
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => api('POST', '/api/tasks', acme.tokens.service, request, { 'idempotency-key': 'order-8-refund' })),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(201));
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
    expect(answers.filter((answer) => answer.headers.get('idempotent-replayed') === 'true')).toHaveLength(19);
    // One event in one stream: there is no reservation elsewhere that could outlive a failed
    // create or point at a task that was never written.
    const { rows } = await t.pool.query('SELECT stream_id, event_type FROM es_events ORDER BY global_position OFFSET $1', [before]);
    expect(rows).toEqual([{ stream_id: `task-${answers[0].body.id}`, event_type: 'TaskCreated' }]);
  });

  it('keeps idempotency keys apart between organisations', async () => {
    const mine = await api('POST', '/api/tasks', acme.tokens.service, { type: 'a', title: 'same' }, { 'idempotency-key': 'shared' });
    const theirs = await api('POST', '/api/tasks', globex.tokens.service, { type: 'a', title: 'same' }, { 'idempotency-key': 'shared' });
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(mine.body.id);
  });
});

describe('bad input never reaches the event store', () => {
  let before: number;
  beforeEach(async () => {
    before = await eventCount();
  });
  afterEach(async () => {
    expect(await eventCount()).toBe(before);
  });

  it('400 names each failing field', async () => {
    const { status, body } = await api('POST', '/api/tasks', acme.tokens.service, { type: 'Not Valid!', title: '', dueAt: 'tomorrow', tags: 'x' });
    expect(status).toBe(400);
    const fields = body.details.map((detail: { field: string }) => detail.field).sort();
    expect(fields).toEqual(['dueAt', 'tags', 'title', 'type']);
    expect(body.message).toMatch(/title/);
    expect(body.correlationId).toEqual(expect.any(String));
  });

  it('400 for a due date JavaScript could not read back (ISO week date, compact form)', async () => {
    for (const dueAt of ['2026-W05', '20261201', '2026-12-01T17']) {
      const { status, body } = await api('POST', '/api/tasks', acme.tokens.service, { type: 'a', title: 'x', dueAt });
      expect(status).toBe(400);
      expect(body.details[0].field).toBe('dueAt');
    }
  });

  it('400 for a field the API does not know', async () => {
    const { status, body } = await api('POST', '/api/tasks', acme.tokens.service, { type: 'a', title: 'x', status: 'completed' });
    expect(status).toBe(400);
    expect(body.message).toMatch(/property status should not exist/);
  });

  it('400 for malformed JSON', async () => {
    const { status, body } = await call(t.url, 'POST', '/api/tasks', { token: acme.tokens.service, rawBody: '{"type": "a", title' });
    expect(status).toBe(400);
    expect(body).toMatchObject({ statusCode: 400, message: 'Malformed JSON body.' });
  });

  it('413 for a body over the limit', async () => {
    const { status, body } = await api('POST', '/api/tasks', acme.tokens.service, { type: 'a', title: 'big', description: 'x'.repeat(70_000) });
    expect(status).toBe(413);
    expect(body.statusCode).toBe(413);
  });

  // Issue 9, case 4: each of these answered 500 (PostgreSQL refused the text, or the stack overflowed).
  it('400 naming the field for a NUL character in a title, and in a payload key or value', async () => {
    const title = await api('POST', '/api/tasks', acme.tokens.service, { type: 'a', title: 'Refund\u0000order' });
    expect(title.status).toBe(400);
    expect(title.body.details).toEqual([{ field: 'title', in: 'body', problems: ['must not contain NUL characters (\\u0000)'] }]);
    const value = await api('POST', '/api/tasks', acme.tokens.service, { type: 'a', title: 'x', payload: { order: { note: '\u0000' } } });
    expect(value.status).toBe(400);
    expect(value.body.details[0].field).toBe('payload.order.note');
    const key = await api('POST', '/api/tasks', acme.tokens.service, { type: 'a', title: 'x', payload: { 'a\u0000b': 1 } });
    expect(key.status).toBe(400);
    expect(key.body.details[0]).toMatchObject({ field: 'payload["a\\u0000b"]', problems: ['(the key) must not contain NUL characters (\\u0000)'] });
  });

  it('400 naming the field for a lone surrogate, sent escaped or as raw bytes', async () => {
    const escaped = await call(t.url, 'POST', '/api/tasks', { token: acme.tokens.service, rawBody: '{"type":"a","title":"\\ud800"}' });
    expect(escaped.status).toBe(400);
    expect(escaped.body.message).toBe('Invalid request: title must not contain unpaired UTF-16 surrogates.');
    // The same surrogate encoded as UTF-8 bytes (CESU-8) is not UTF-8 at all.
    const raw = await fetch(`${t.url}/api/tasks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${acme.tokens.service}`, 'content-type': 'application/json' },
      body: Buffer.concat([Buffer.from('{"type":"a","title":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]),
    });
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as { message: string }).message).toBe('Invalid request: the body is not valid UTF-8.');
  });

  it('400 naming the field for a payload nested 20,000 levels deep (the limit is 32)', async () => {
    // Arrays, so that 20,000 levels fit this file's 64 KiB body limit.
    const deep = `{"type":"a","title":"x","payload":{"rows":${'['.repeat(20_000)}${']'.repeat(20_000)}}}`;
    const { status, body } = await call(t.url, 'POST', '/api/tasks', { token: acme.tokens.service, rawBody: deep });
    expect(status).toBe(400);
    expect(body.details).toEqual([{ field: `payload.rows${'[0]'.repeat(30)}`, in: 'body', problems: ['is nested deeper than 32 levels'] }]);
    const objects = `{"type":"a","title":"x","payload":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}`;
    const nested = await call(t.url, 'POST', '/api/tasks', { token: acme.tokens.service, rawBody: objects });
    expect(nested.status).toBe(400);
    expect(nested.body.message).toBe(`Invalid request: payload${'.a'.repeat(31)} is nested deeper than 32 levels.`);
  });

  it('400 for an object with too many keys and for an oversize string', async () => {
    const wide = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`k${i}`, i]));
    const keys = await api('POST', '/api/tasks', acme.tokens.service, { type: 'a', title: 'x', payload: wide });
    expect(keys.status).toBe(400);
    expect(keys.body.details[0]).toMatchObject({ field: 'payload', problems: ['has more than 1000 keys'] });
    const long = await api('POST', '/api/tasks', acme.tokens.service, { type: 'a', title: 'x', payload: { blob: 'x'.repeat(60_001) } }, {});
    expect(long.status).toBe(400);
    expect(long.body.details[0]).toMatchObject({ field: 'payload.blob', problems: ['is longer than 60000 characters'] });
  });

  it('400 naming the path parameter or header that holds a NUL character', async () => {
    const path = await api('POST', '/api/inbox/tasks/a%00b/claim', acme.tokens.admin);
    expect(path.status).toBe(400);
    expect(path.body.message).toBe('Invalid request: path parameter id must not contain NUL characters (\\u0000).');
    const url = await api('POST', '/api/inbox/tasks/%FF/claim', acme.tokens.admin);
    expect(url).toMatchObject({ status: 400, body: { message: 'Invalid request: the path is not valid percent-encoded UTF-8.', correlationId: expect.any(String) } });
  });

  it('415 for a body that is not JSON', async () => {
    const form = await call(t.url, 'POST', '/api/tasks', { token: acme.tokens.service, rawBody: 'type=a&title=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
  });

  it('401 without credentials or with a wrong key, 403 for a viewer', async () => {
    const task = { type: 'a', title: 'x' };
    expect((await call(t.url, 'POST', '/api/tasks', { body: task })).status).toBe(401);
    expect((await api('POST', '/api/tasks', 'tib_AAAAAAAAAAAA_' + 'A'.repeat(43), task)).status).toBe(401);
    expect((await api('POST', '/api/tasks', 'not-a-jwt', task)).status).toBe(401);
    const viewer = await api('POST', '/api/tasks', acme.tokens.viewer, task);
    expect(viewer.status).toBe(403);
    expect(viewer.body.message).toMatch(/viewer/);
  });

  it('403 for an API key without the write scope', async () => {
    const readOnly = await acme.issueApiKey(['tasks:read']);
    expect((await api('POST', '/api/tasks', readOnly.key, { type: 'a', title: 'x' })).status).toBe(403);
  });

  it('404 for an unknown task, 400 for an id that is not a UUID', async () => {
    expect((await api('POST', '/api/inbox/tasks/0190a0a0-0000-7000-8000-000000000000/claim', acme.tokens.admin)).status).toBe(404);
    const bad = await api('POST', '/api/inbox/tasks/42/claim', acme.tokens.admin);
    expect(bad.status).toBe(400);
  });

  it('echoes the caller correlation id in the error body and header', async () => {
    const { body, headers } = await api('GET', '/api/tasks/0190a0a0-0000-7000-8000-000000000000', acme.tokens.admin, undefined, {
      'x-correlation-id': 'trace-abc-123',
    });
    expect(body.correlationId).toBe('trace-abc-123');
    expect(headers.get('x-correlation-id')).toBe('trace-abc-123');
  });
});

describe('claiming', () => {
  it('50 concurrent claims by 50 admins: exactly one 200 and 49 × 409', async () => {
    const task = await newTask();
    const tokens = (await acme.addUsers('admin', 50)).map((admin) => admin.token);
    const results = await Promise.all(tokens.map((token) => api('POST', `/api/inbox/tasks/${task.id}/claim`, token)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    for (const loser of results.filter((r) => r.status === 409)) {
      expect(loser.body.message).toBe('Task is already being processed by another user.');
    }
    const winner = results.find((r) => r.status === 200)!;
    expect(winner.body).toMatchObject({ status: 'processing', processedBy: expect.any(String), processedAt: expect.any(String) });
    // Exactly one TaskClaimed was recorded.
    const { rows } = await t.pool.query("SELECT count(*)::int AS n FROM es_events WHERE stream_id = $1 AND event_type = 'TaskClaimed'", [`task-${task.id}`]);
    expect(rows[0].n).toBe(1);
  });

  it('only the claimer completes (403 for others), then the task is terminal', async () => {
    const task = await newTask();
    expect((await api('POST', `/api/inbox/tasks/${task.id}/claim`, acme.tokens.member)).status).toBe(200);
    const notMine = await api('PUT', `/api/inbox/tasks/${task.id}`, acme.tokens.admin, { status: 'completed', resolution: 'accepted' });
    expect(notMine.status).toBe(403);
    const done = await api('PUT', `/api/inbox/tasks/${task.id}`, acme.tokens.member, { status: 'completed', resolution: 'accepted' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'completed', resolution: 'accepted', version: 2 });
    const again = await api('POST', `/api/inbox/tasks/${task.id}/claim`, acme.tokens.admin);
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/'completed'/);
    // Terminal tasks still take comments.
    expect((await api('POST', `/api/tasks/${task.id}/comments`, acme.tokens.admin, { body: 'refund sent' })).status).toBe(201);
  });

  // Issue 9, last case: the seed's own body answered 400 "resolution must not be empty".
  it("the seed's exact body {\"status\":\"completed\"} completes the claimed task with the resolution 'done'", async () => {
    const task = await newTask();
    await api('POST', `/api/inbox/tasks/${task.id}/claim`, acme.tokens.member);
    const { status, body } = await call(t.url, 'PUT', `/api/inbox/tasks/${task.id}`, { token: acme.tokens.member, rawBody: '{"status":"completed"}' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'completed', resolution: 'done' });
    const { rows } = await t.pool.query("SELECT data->>'resolution' AS resolution FROM es_events WHERE stream_id = $1 AND event_type = 'TaskCompleted'", [`task-${task.id}`]);
    expect(rows).toEqual([{ resolution: 'done' }]);
  });

  it("POST …/complete without a resolution, or without a body, records 'done' too; an empty one is still refused", async () => {
    for (const body of [{ note: 'sent' }, undefined]) {
      const task = await newTask();
      await api('POST', `/api/inbox/tasks/${task.id}/claim`, acme.tokens.member);
      const done = await api('POST', `/api/tasks/${task.id}/complete`, acme.tokens.member, body);
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ status: 'completed', resolution: 'done' });
    }
    const task = await newTask();
    await api('POST', `/api/inbox/tasks/${task.id}/claim`, acme.tokens.member);
    for (const [path, body] of [
      [`/api/tasks/${task.id}/complete`, { resolution: '' }],
      [`/api/inbox/tasks/${task.id}`, { status: 'completed', resolution: '' }],
    ] as const) {
      const refused = await api(path.includes('inbox') ? 'PUT' : 'POST', path, acme.tokens.member, body);
      expect(refused.status).toBe(400);
      expect(refused.body.details[0].field).toBe('resolution');
    }
  });

  it("documents the default resolution in the OpenAPI schema", async () => {
    const { body } = await call(t.url, 'GET', '/api/docs/openapi.json');
    for (const schema of ['ChangeStatusDto', 'CompleteTaskDto']) {
      expect(body.components.schemas[schema].properties.resolution).toMatchObject({ default: 'done' });
      expect(body.components.schemas[schema].required ?? []).not.toContain('resolution');
    }
  });

  it('completing an unclaimed task is a 409 that names the status', async () => {
    const task = await newTask();
    const { status, body } = await api('PUT', `/api/inbox/tasks/${task.id}`, acme.tokens.admin, { status: 'completed', resolution: 'done' });
    expect(status).toBe(409);
    expect(body.message).toMatch(/'pending'/);
  });
});

describe('the rest of the life of a task', () => {
  it('release, force-release by an admin, hold and resume', async () => {
    const task = await newTask();
    await api('POST', `/api/inbox/tasks/${task.id}/claim`, acme.tokens.member);
    const other = await acme.addUser('member');
    expect((await api('POST', `/api/tasks/${task.id}/release`, other.token)).status).toBe(403);
    const forced = await api('POST', `/api/tasks/${task.id}/release`, acme.tokens.admin);
    expect(forced.status).toBe(200);
    expect(forced.body.status).toBe('pending');
    expect(forced.body.processedBy).toBeUndefined();

    await api('POST', `/api/inbox/tasks/${task.id}/claim`, other.token);
    const held = await api('PUT', `/api/inbox/tasks/${task.id}`, other.token, { status: 'waiting', note: 'asked the customer' });
    expect(held.body).toMatchObject({ status: 'waiting', processedBy: other.id });
    const resumed = await api('POST', `/api/tasks/${task.id}/resume`, other.token);
    expect(resumed.body.status).toBe('processing');
    const released = await api('PUT', `/api/inbox/tasks/${task.id}`, other.token, { status: 'pending' });
    expect(released.body.status).toBe('pending');
  });

  it('the sending service may cancel; another service may not', async () => {
    const task = await newTask();
    const thirdParty = await acme.issueApiKey(['tasks:write']);
    const refused = await api('POST', `/api/tasks/${task.id}/cancel`, thirdParty.key, { reason: 'no' });
    expect(refused.status).toBe(403);
    const cancelled = await api('POST', `/api/tasks/${task.id}/cancel`, acme.tokens.service, { reason: 'customer withdrew' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
  });

  it('details are updated and info is posted by a third party', async () => {
    const task = await newTask();
    const updated = await api('PATCH', `/api/tasks/${task.id}`, acme.tokens.member, { priority: 'urgent', tags: ['vip'] });
    expect(updated.body).toMatchObject({ priority: 'urgent', tags: ['vip'], version: 1 });
    const vendor = await acme.issueApiKey(['tasks:write']);
    const info = await api('POST', `/api/tasks/${task.id}/info`, vendor.key, { info: { trackingNumber: 'ZX81' } });
    expect(info.status).toBe(201);
    expect(info.body.version).toBe(2);
    const { rows } = await t.pool.query('SELECT event_type FROM es_events WHERE stream_id = $1 ORDER BY stream_revision', [`task-${task.id}`]);
    expect(rows.map((r: { event_type: string }) => r.event_type)).toEqual(['TaskCreated', 'TaskUpdated', 'TaskInfoPosted']);
  });

  it('lists only the actions the caller may take now', async () => {
    const task = await newTask();
    const asMember = await api('GET', `/api/tasks/${task.id}`, acme.tokens.member);
    expect(asMember.body.allowedActions).toContain('claim');
    const asViewer = await api('GET', `/api/tasks/${task.id}`, acme.tokens.viewer);
    expect(asViewer.body.allowedActions).toEqual([]);
  });
});

describe('organisations are sealed from each other', () => {
  it('another organisation can neither read nor change a task', async () => {
    const task = await newTask(acme);
    const attempts = [
      api('GET', `/api/tasks/${task.id}`, globex.tokens.admin),
      api('GET', `/api/tasks/${task.id}`, globex.tokens.service),
      api('POST', `/api/inbox/tasks/${task.id}/claim`, globex.tokens.admin),
      api('PUT', `/api/inbox/tasks/${task.id}`, globex.tokens.admin, { status: 'cancelled' }),
      api('POST', `/api/tasks/${task.id}/comments`, globex.tokens.service, { body: 'hello' }),
      api('POST', `/api/tasks/${task.id}/cancel`, globex.tokens.service, {}),
      api('PATCH', `/api/tasks/${task.id}`, globex.tokens.admin, { title: 'mine now' }),
    ];
    for (const attempt of await Promise.all(attempts)) {
      expect(attempt.status).toBe(404);
      expect(attempt.body.message).toBe('Task not found.');
    }
    const mine = await api('GET', `/api/tasks/${task.id}`, acme.tokens.admin);
    expect(mine.body).toMatchObject({ status: 'pending', version: 0, title: 'Refund order 1042' });
  });
});

describe('private tasks', () => {
  it('are hidden from services other than the sender, not from the team', async () => {
    const task = await newTask(acme, { private: true });
    const otherService = await acme.issueApiKey(['tasks:read', 'tasks:write']);
    expect((await api('GET', `/api/tasks/${task.id}`, otherService.key)).status).toBe(404);
    expect((await api('POST', `/api/tasks/${task.id}/comments`, otherService.key, { body: 'peek' })).status).toBe(404);
    expect((await api('GET', `/api/tasks/${task.id}`, acme.tokens.service)).status).toBe(200);
    expect((await api('GET', `/api/tasks/${task.id}`, acme.tokens.viewer)).status).toBe(200);
  });
});

describe('OpenAPI', () => {
  it('describes the inbox contract at /api/docs', async () => {
    const { status, body } = await call(t.url, 'GET', '/api/docs/openapi.json');
    expect(status).toBe(200);
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(['/api/tasks', '/api/inbox/tasks/{id}/claim', '/api/inbox/tasks/{id}', '/api/auth/login']),
    );
  });
});
