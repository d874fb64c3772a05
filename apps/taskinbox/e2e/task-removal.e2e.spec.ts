import { EVENT_STORE, type EventStore } from '@taskinbox/event-store';
import { toEnvelope } from '@taskinbox/messaging';
import { call, type TestApp, type TestOrganisation } from '@taskinbox/testing';
import { webhookBody } from '@taskinbox/webhooks';
import { projected, startOneProcessApp } from './one-process.fixture';

// Issue 12 (seed 001): admins delete a task (a tombstone that hides it everywhere) and erase a
// task's payload, which also redacts the stored events and webhook bodies that carry it.
jest.setTimeout(60_000);

let t: TestApp;
let acme: TestOrganisation;
const type = 'removal.case';

beforeAll(async () => {
  t = await startOneProcessApp();
  acme = await t.createOrganisation('acme');
});
afterAll(() => t?.close());

const api = (method: string, path: string, token: string, body?: unknown) => call(t.url, method, path, { token, body });
const eventsOf = async (id: string) =>
  (await t.pool.query<{ type: string; data: Record<string, unknown> }>('SELECT event_type AS type, data FROM es_events WHERE stream_id = $1 ORDER BY stream_revision', [`task-${id}`])).rows;

async function newTask(payload: Record<string, unknown>, title = 'Card dispute'): Promise<string> {
  const created = await api('POST', '/api/tasks', acme.tokens.service, { type, title, payload });
  expect(created.status).toBe(201);
  return created.body.id;
}

/** A delivery row as the webhooks' fan-out writes it, for the task's TaskCreated. */
async function recordDelivery(taskId: string): Promise<void> {
  const endpoint = await api('POST', '/api/webhooks/endpoints', acme.tokens.admin, { url: 'https://hooks.example.com/removal' });
  expect(endpoint.status).toBe(201);
  const store = t.app.get<EventStore>(EVENT_STORE);
  const [created] = await store.readStream(`task-${taskId}`, { maxCount: 1 });
  const envelope = toEnvelope(created, type);
  await t.pool.query(
    `INSERT INTO webhook_deliveries (id, endpoint_id, org_id, event_id, event_type, task_id, revision, occurred_at, body)
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, 0, now(), $6)`,
    [endpoint.body.id, acme.id, envelope.id, envelope.type, taskId, webhookBody(envelope)],
  );
}

describe("erasing a task's payload", () => {
  it('is refused to members and writes nothing', async () => {
    const id = await newTask({ card: '4242' });
    expect((await api('POST', `/api/tasks/${id}/erase-payload`, acme.tokens.member)).status).toBe(403);
    expect((await api('POST', `/api/tasks/${id}/erase-payload`, acme.tokens.service)).status).toBe(403);
    expect((await eventsOf(id)).map((event) => event.type)).toEqual(['TaskCreated']);
  });

  it('drops the payload from the task and read models, and redacts stored events and webhook bodies', async () => {
    const id = await newTask({ card: '4242', holder: 'Ann' });
    expect((await api('POST', `/api/tasks/${id}/info`, acme.tokens.service, { info: { iban: 'DE89' }, note: 'bank' })).status).toBe(201);
    await recordDelivery(id);

    const erased = await api('POST', `/api/tasks/${id}/erase-payload`, acme.tokens.admin);
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ id, payloadErased: true });

    const events = await eventsOf(id);
    expect(events.map((event) => event.type)).toEqual(['TaskCreated', 'TaskInfoPosted', 'TaskPayloadErased']);
    expect(events[0].data.payload).toEqual({});
    expect(events[1].data.info).toEqual({ erased: true });
    const { rows } = await t.pool.query<{ body: string }>('SELECT body FROM webhook_deliveries WHERE task_id = $1', [id]);
    expect(JSON.parse(rows[0].body).data.payload).toEqual({});
    expect(rows[0].body).not.toContain('4242');

    const task = await api('GET', `/api/tasks/${id}`, acme.tokens.viewer);
    expect(task.body).toMatchObject({ payload: {}, payloadErased: true });
    await projected(t);
    const timeline = await api('GET', `/api/tasks/${id}/timeline`, acme.tokens.viewer);
    expect(timeline.body.task.payload).toEqual({});
    expect(JSON.stringify(timeline.body)).not.toMatch(/4242|DE89/);
    expect(timeline.body.timeline.map((entry: { summary: string }) => entry.summary)).toContain('Payload erased');

    // Again: nothing more is recorded.
    expect((await api('POST', `/api/tasks/${id}/erase-payload`, acme.tokens.admin)).status).toBe(200);
    expect(await eventsOf(id)).toHaveLength(3);
  });
});

describe('deleting a task', () => {
  it('is for admins only', async () => {
    const id = await newTask({ card: '1' });
    for (const token of [acme.tokens.member, acme.tokens.viewer, acme.tokens.service]) {
      expect((await api('DELETE', `/api/tasks/${id}`, token)).status).toBe(403);
    }
    expect(await eventsOf(id)).toHaveLength(1);
  });

  it('hides the task everywhere: task, inbox, search, timeline, stats; it then answers 404', async () => {
    const id = await newTask({ card: '5555' }, 'Unique tombstone title');
    expect((await api('POST', `/api/tasks/${id}/cancel`, acme.tokens.admin, { reason: 'dup' })).status).toBe(200);
    await projected(t);
    const outcomes = async () => (await api('GET', `/api/stats/outcomes?type=${type}`, acme.tokens.admin)).body.total;
    const before = await outcomes();
    const listed = async () =>
      (await api('GET', '/api/inbox/tasks?showCompleted=true&q=tombstone', acme.tokens.admin)).body.items.map((item: { id: string }) => item.id);
    expect(await listed()).toContain(id);

    expect((await api('DELETE', `/api/tasks/${id}`, acme.tokens.admin, { reason: 'spam' })).status).toBe(204);
    await projected(t);
    expect((await api('GET', `/api/tasks/${id}`, acme.tokens.admin)).status).toBe(404);
    expect((await api('GET', `/api/tasks/${id}/timeline`, acme.tokens.admin)).status).toBe(404);
    expect(await listed()).not.toContain(id);
    expect(await outcomes()).toBe(before - 1);
    expect((await api('POST', `/api/tasks/${id}/comments`, acme.tokens.admin, { body: 'hello?' })).status).toBe(404);
    expect((await api('DELETE', `/api/tasks/${id}`, acme.tokens.admin)).status).toBe(404);
    const readModels = await t.pool.query(
      `SELECT (SELECT count(*) FROM inbox_tasks WHERE task_id = $1) + (SELECT count(*) FROM task_timeline WHERE task_id = $1)
         + (SELECT count(*) FROM task_facts WHERE task_id = $1) AS n`,
      [id],
    );
    expect(Number(readModels.rows[0].n)).toBe(0);

    // Its payload can still be erased on request.
    expect((await api('POST', `/api/tasks/${id}/erase-payload`, acme.tokens.admin)).status).toBe(200);
    expect((await eventsOf(id))[0].data.payload).toEqual({});
    await projected(t);
    expect((await api('GET', `/api/tasks/${id}/timeline`, acme.tokens.admin)).status).toBe(404);
  });
});
