import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ReadModelsModule } from '@taskinbox/read-models';
import { call, startTestApp, type TestApp, type TestOrganisation } from '@taskinbox/testing';
import { QueryModule } from '../query.module';
import { type SeededTask, seedTask, seedTimeline, serviceActor } from './read-models.fixture';

let t: TestApp;
let db: DataSource;
let acme: TestOrganisation;
let globex: TestOrganisation;
let claimed: SeededTask;
let pending: SeededTask;
let privateTheirs: SeededTask;
let theirs: SeededTask;

beforeAll(async () => {
  t = await startTestApp({ imports: [ReadModelsModule, QueryModule] });
  db = t.app.get(DataSource);
  [acme, globex] = await Promise.all([t.createOrganisation('acme'), t.createOrganisation('globex')]);
  const sender = serviceActor(acme.serviceId);
  claimed = await seedTask(db, {
    orgId: acme.id,
    createdAt: '2026-01-01T09:00:00Z',
    title: 'Refund order 1042',
    description: 'Customer says the parcel never arrived.',
    payload: { orderId: 1042, amount: 25 },
    status: 'processing',
    processedBy: acme.userIds.member,
    source: sender,
    version: 1,
  });
  await seedTimeline(db, claimed, [
    {
      eventType: 'TaskCreated',
      summary: 'sender created the task',
      actor: sender,
      occurredAt: '2026-01-01T09:00:00Z',
      details: { title: 'Refund order 1042' },
    },
    {
      eventType: 'TaskClaimed',
      summary: 'member claimed the task',
      actor: { kind: 'user', id: acme.userIds.member, role: 'member' },
      occurredAt: '2026-01-01T09:05:00Z',
    },
  ]);
  pending = await seedTask(db, { orgId: acme.id, createdAt: '2026-01-02T09:00:00Z' });
  privateTheirs = await seedTask(db, { orgId: acme.id, createdAt: '2026-01-03T09:00:00Z', private: true });
  theirs = await seedTask(db, { orgId: globex.id, createdAt: '2026-01-01T09:00:00Z' });
});
afterAll(() => t?.close());

const timeline = (id: string, token: string, query = '') =>
  call(t.url, 'GET', `/api/tasks/${id}/timeline${query}`, { token });

describe('GET /api/tasks/:id/timeline', () => {
  it('answers the task from the read model and its events in order', async () => {
    const { status, body } = await timeline(claimed.id, acme.tokens.viewer);
    expect(status).toBe(200);
    expect(body.task).toMatchObject({
      id: claimed.id,
      title: 'Refund order 1042',
      description: 'Customer says the parcel never arrived.',
      payload: { orderId: 1042, amount: 25 },
      status: 'processing',
      processedBy: acme.userIds.member,
      source: { kind: 'service', id: acme.serviceId },
      version: 1,
    });
    expect(body.timeline).toEqual([
      expect.objectContaining({
        revision: 0,
        eventType: 'TaskCreated',
        summary: 'sender created the task',
        occurredAt: '2026-01-01T09:00:00.000Z',
        details: { title: 'Refund order 1042' },
      }),
      expect.objectContaining({
        revision: 1,
        eventType: 'TaskClaimed',
        actor: { kind: 'user', id: acme.userIds.member, role: 'member' },
        details: {},
      }),
    ]);
  });

  it("carries the read models' log position (the live stream's ready event is compared with it)", async () => {
    const position = '00000000000000000042:00000000000000000007';
    await db.query(
      `INSERT INTO projection_checkpoints (name, position) VALUES ('read-models', $1)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
      [position],
    );
    expect((await timeline(claimed.id, acme.tokens.viewer)).body.position).toBe(position);
  });

  it('lists the actions the domain allows the caller on that state', async () => {
    const actions = async (id: string, token: string) => (await timeline(id, token)).body.task.allowedActions;
    // the claimer may resolve it; another member may not; an admin may force-release and cancel
    expect(await actions(claimed.id, acme.tokens.member)).toEqual(
      expect.arrayContaining(['complete', 'release', 'hold', 'comment']),
    );
    const admin = await actions(claimed.id, acme.tokens.admin);
    expect(admin).toEqual(expect.arrayContaining(['release', 'cancel', 'comment']));
    expect(admin).not.toContain('complete');
    expect(admin).not.toContain('claim');
    expect(await actions(pending.id, acme.tokens.admin)).toContain('claim');
    expect(await actions(claimed.id, acme.tokens.viewer)).toEqual([]);
    // the sending service may cancel its own task but never claim
    const service = await actions(claimed.id, acme.tokens.service);
    expect(service).toContain('cancel');
    expect(service).not.toContain('claim');
  });

  it("404 'Task not found.' for unknown tasks and for other organisations' tasks alike", async () => {
    for (const id of [randomUUID(), theirs.id]) {
      const { status, body } = await timeline(id, acme.tokens.admin);
      expect(status).toBe(404);
      expect(body.message).toBe('Task not found.');
    }
    expect((await timeline(theirs.id, globex.tokens.admin)).status).toBe(200);
  });

  it('hides a private task from API keys other than its sender, not from users', async () => {
    expect((await timeline(privateTheirs.id, acme.tokens.viewer)).status).toBe(200);
    const { status, body } = await timeline(privateTheirs.id, acme.tokens.service);
    expect(status).toBe(404);
    expect(body.message).toBe('Task not found.');
  });

  it('400 for a malformed id or minVersion, 403 for a key without tasks:read', async () => {
    expect((await timeline('not-a-uuid', acme.tokens.admin)).status).toBe(400);
    for (const query of ['?minVersion=-1', '?minVersion=two', '?minVersion=1.5']) {
      const { status, body } = await timeline(claimed.id, acme.tokens.admin, query);
      expect(status).toBe(400);
      expect(body.details[0].field).toBe('minVersion');
    }
    const writer = await acme.issueApiKey(['tasks:write']);
    expect((await timeline(claimed.id, writer.key)).status).toBe(403);
  });
});

describe('read-your-writes (?minVersion=<n>)', () => {
  it('waits for the projector to reach the version, then answers it', async () => {
    const started = Date.now();
    setTimeout(async () => {
      await t.pool.query(
        `UPDATE inbox_tasks SET version = 2, status = 'completed', status_rank = 3, resolution = 'accepted' WHERE task_id = $1`,
        [claimed.id],
      );
      await t.pool.query('NOTIFY read_models_updated');
    }, 300);
    const { status, body, headers } = await timeline(claimed.id, acme.tokens.member, '?minVersion=2');
    const waited = Date.now() - started;
    expect(status).toBe(200);
    expect(body.task).toMatchObject({ version: 2, status: 'completed', resolution: 'accepted' });
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(1500);
    expect(headers.get('x-read-model-stale')).toBeNull();
  });

  it('waits for a task the projector has not written yet', async () => {
    const id = randomUUID();
    setTimeout(async () => {
      await seedTask(db, { orgId: acme.id, id, createdAt: '2026-01-04T09:00:00Z', title: 'Just created' });
      await t.pool.query('NOTIFY read_models_updated');
    }, 300);
    const { status, body, headers } = await timeline(id, acme.tokens.member, '?minVersion=0');
    expect(status).toBe(200);
    expect(body.task.title).toBe('Just created');
    expect(headers.get('x-read-model-stale')).toBeNull();
  });

  it('gives up after 2 s with what it has, marked X-Read-Model-Stale: true', async () => {
    const started = Date.now();
    const { status, body, headers } = await timeline(pending.id, acme.tokens.member, '?minVersion=5');
    const waited = Date.now() - started;
    expect(status).toBe(200);
    expect(body.task.version).toBe(0);
    expect(headers.get('x-read-model-stale')).toBe('true');
    expect(waited).toBeGreaterThanOrEqual(1900);
    expect(waited).toBeLessThan(3500);
  });

  it("treats another organisation's task as never arriving, then 404s", async () => {
    const { status, headers } = await timeline(theirs.id, acme.tokens.admin, '?minVersion=0');
    expect(status).toBe(404);
    expect(headers.get('x-read-model-stale')).toBe('true');
  });

  it('shares one LISTEN connection among concurrent waiters', async () => {
    const listeners = async () =>
      Number(
        (
          await t.pool.query(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'taskinbox-query-listener'",
          )
        ).rows[0].n,
      );
    const waiting = Promise.all(
      Array.from({ length: 5 }, () => timeline(pending.id, acme.tokens.member, '?minVersion=1')),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await listeners()).toBe(1);
    await t.pool.query('UPDATE inbox_tasks SET version = 1 WHERE task_id = $1', [pending.id]);
    await t.pool.query('NOTIFY read_models_updated');
    for (const { status, headers } of await waiting) {
      expect(status).toBe(200);
      expect(headers.get('x-read-model-stale')).toBeNull();
    }
  });
});
