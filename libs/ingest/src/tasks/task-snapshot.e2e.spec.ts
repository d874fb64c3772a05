import { randomUUID } from 'node:crypto';
import { TASK_STATE_VERSION, taskStreamName } from '@taskinbox/domain';
import { EVENT_STORE, type EventStore } from '@taskinbox/event-store';
import { call, startTestApp, type TestApp, type TestOrganisation } from '@taskinbox/testing';
import { IngestModule } from '../ingest.module';

// Long task streams: a command or a read folds the task from its snapshot and the events after
// it, and the answers are exactly those of a fold of the whole stream.

let t: TestApp;
let acme: TestOrganisation;

beforeAll(async () => {
  t = await startTestApp({ imports: [IngestModule] });
  acme = await t.createOrganisation('acme');
});
afterAll(() => t?.close());

const api = (method: string, path: string, token: string, body?: unknown) => call(t.url, method, path, { token, body });
const snapshotOf = async (taskId: string) =>
  (
    await t.pool.query<{ version: number; revision: string; state: Record<string, unknown> }>(
      'SELECT version, revision::text, state FROM stream_snapshots WHERE stream_id = $1',
      [`task-${taskId}`],
    )
  ).rows[0];

/** A task with `count` comments, appended straight to its stream (as many HTTP calls would be slow for nothing). */
async function taskWithComments(count: number): Promise<string> {
  const created = await api('POST', '/api/tasks', acme.tokens.service, { type: 'refund.approval', title: 'Chatty task' });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const by = { kind: 'user', id: acme.userIds.member, role: 'member' };
  await t.app.get<EventStore>(EVENT_STORE).appendToStream(
    taskStreamName(id),
    Array.from({ length: count }, (_, index) => ({
      id: randomUUID(),
      type: 'TaskCommented',
      data: { taskId: id, by, commentId: randomUUID(), body: `comment ${index}`, commentedAt: new Date().toISOString() },
      metadata: { orgId: acme.id, actor: `user:${by.id}`, correlationId: randomUUID() },
    })),
    { expectedRevision: 0n },
  );
  // The first read folds the whole stream and leaves a snapshot.
  expect((await api('GET', `/api/tasks/${id}`, acme.tokens.viewer)).body.version).toBe(count);
  return id;
}

it('keeps a snapshot of a long task and answers from it exactly as from the whole stream', async () => {
  const id = await taskWithComments(130);
  const snapshot = await snapshotOf(id);
  expect(snapshot.version).toBe(TASK_STATE_VERSION);
  expect(Number(snapshot.revision)).toBeGreaterThanOrEqual(50);

  const updated = await api('PATCH', `/api/tasks/${id}`, acme.tokens.member, { priority: 'urgent', tags: ['vip'] });
  expect(updated.status).toBe(200);
  expect(updated.body).toMatchObject({ version: 131, priority: 'urgent', tags: ['vip'], status: 'pending' });

  // Racing claims after the snapshot: still exactly one winner, at the right revision.
  const claims = await Promise.all(
    [acme.tokens.member, acme.tokens.admin].map((token) => api('POST', `/api/inbox/tasks/${id}/claim`, token)),
  );
  expect(claims.map((claim) => claim.status).sort()).toEqual([200, 409]);
  const read = await api('GET', `/api/tasks/${id}`, acme.tokens.viewer);
  expect(read.body).toMatchObject({ version: 132, status: 'processing', priority: 'urgent', title: 'Chatty task' });
});

it('ignores a snapshot made by another version of the fold', async () => {
  const id = await taskWithComments(60);
  // What an older build might have stored: another shape, another title.
  await t.pool.query(
    'UPDATE stream_snapshots SET version = $2, state = jsonb_set(state, $3, $4) WHERE stream_id = $1',
    [`task-${id}`, TASK_STATE_VERSION + 1, '{title}', JSON.stringify('Stale title')],
  );
  const read = await api('GET', `/api/tasks/${id}`, acme.tokens.viewer);
  expect(read.body).toMatchObject({ version: 60, title: 'Chatty task' });
  expect(read.body.title).not.toBe('Stale title');
  // The read folded the whole stream and left a snapshot of this version again.
  expect(await snapshotOf(id)).toMatchObject({ version: TASK_STATE_VERSION, revision: '60' });
  expect((await snapshotOf(id)).state.title).toBe('Chatty task');
});
