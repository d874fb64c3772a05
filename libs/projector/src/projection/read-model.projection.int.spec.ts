import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import type { Actor } from '@taskinbox/domain';
import { PostgresEventStore } from '@taskinbox/event-store';
import { createTestDatabase, type TestDatabase } from '@taskinbox/testing';
import { TaskWriter, endOfLog, liveCheckpoint, silentLogger, waitForCheckpoint } from './read-model.fixture';
import { readModelsUpdatedChannel } from '@taskinbox/read-models';
import { CheckpointMoved, applyBatch, liveProjection } from './read-model.projection';
import { ReadModelProjector } from './read-model.projector';

describe('read-model projection', () => {
  jest.setTimeout(60_000);
  let database: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  let projector: ReadModelProjector;
  let listener: Client;
  const notified: string[] = [];

  const service: Actor = { kind: 'service', id: randomUUID(), name: 'billing-service' };
  const admin: Actor = { kind: 'user', id: randomUUID(), role: 'admin' };
  const member: Actor = { kind: 'user', id: randomUUID(), role: 'member' };
  const member2: Actor = { kind: 'user', id: randomUUID(), role: 'member' };
  const utcOrg = randomUUID();
  const berlinOrg = randomUUID();
  const ids: Record<'a' | 'b' | 'c' | 'd', string> = { a: '', b: '', c: '', d: '' };
  const longComment = `Please check the ledger.\n\n${'x'.repeat(200)}`;

  beforeAll(async () => {
    database = await createTestDatabase('proj');
    pool = new Pool({ connectionString: database.url, max: 6 });
    // The server is shared with other test runs; an idle connection they end must not fail this file.
    pool.on('error', () => undefined);
    store = new PostgresEventStore({ pool, pollIntervalMs: 50 });
    await pool.query(
      `INSERT INTO org_calendars (org_id, time_zone, working_days, day_start, day_end) VALUES ($1, 'Europe/Berlin', '{1,2,3,4,5}', '09:00', '17:00')`,
      [berlinOrg],
    );
    listener = new Client({ connectionString: database.url });
    await listener.connect();
    listener.on('notification', (message) => notified.push(message.payload ?? ''));
    await listener.query(`LISTEN ${readModelsUpdatedChannel}`);

    projector = new ReadModelProjector({ pool, store, logger: silentLogger, batchSize: 3 });
    projector.start();

    const a = new TaskWriter(store, utcOrg);
    // A: Friday 15:00 UTC to Monday 10:00 UTC, through most of what can happen to a task.
    ids.a = await a.create(service, '2025-10-17T15:00:00.000Z', { title: 'Refund order #1042', tags: ['refund'] });
    await a.act(ids.a, member, '2025-10-17T15:30:00.000Z', { type: 'ClaimTask' });
    await a.act(ids.a, member, '2025-10-17T15:45:00.000Z', {
      type: 'CommentOnTask',
      commentId: randomUUID(),
      body: longComment,
    });
    await a.act(ids.a, service, '2025-10-17T15:50:00.000Z', {
      type: 'CommentOnTask',
      commentId: randomUUID(),
      body: 'Any news?',
    });
    await a.act(ids.a, service, '2025-10-17T16:00:00.000Z', {
      type: 'AddTaskAttachment',
      attachment: { id: randomUUID(), name: 'receipt.pdf', url: 'https://files.test/receipt.pdf' },
    });
    await a.act(ids.a, service, '2025-10-17T16:10:00.000Z', { type: 'PostTaskInfo', info: { refunded: false } });
    await a.act(ids.a, member2, '2025-10-17T16:20:00.000Z', {
      type: 'UpdateTaskDetails',
      changes: { priority: 'high', tags: ['refund', 'vip'] },
    });
    await a.act(ids.a, member, '2025-10-17T16:30:00.000Z', { type: 'PutTaskOnHold', reason: 'waiting for the bank' });
    await a.act(ids.a, member, '2025-10-17T16:40:00.000Z', { type: 'ResumeTask' });
    await a.act(ids.a, member, '2025-10-20T10:00:00.000Z', { type: 'CompleteTask', resolution: 'accepted' });

    // C: claimed, force-released by an admin, cancelled.
    ids.c = await a.create(service, '2025-10-20T09:00:00.000Z');
    await a.act(ids.c, member, '2025-10-20T09:10:00.000Z', { type: 'ClaimTask' });
    await a.act(ids.c, admin, '2025-10-20T09:20:00.000Z', { type: 'ReleaseTask' });
    await a.act(ids.c, admin, '2025-10-20T09:30:00.000Z', { type: 'CancelTask', reason: 'duplicate' });

    // D: still pending; only a person's comment counts as a response.
    ids.d = await a.create(service, '2025-10-20T11:00:00.000Z');
    await a.act(ids.d, service, '2025-10-20T11:05:00.000Z', {
      type: 'CommentOnTask',
      commentId: randomUUID(),
      body: 'bump',
    });
    await a.act(ids.d, member, '2025-10-20T11:30:00.000Z', {
      type: 'CommentOnTask',
      commentId: randomUUID(),
      body: 'On it',
    });

    // Streams of other kinds are not projected.
    await store.appendToStream(`idempotency-${randomUUID()}`, [
      {
        id: randomUUID(),
        type: 'IdempotencyKeyReserved',
        data: { taskId: ids.d },
        metadata: { orgId: utcOrg, actor: 'service:x', correlationId: 'c' },
      },
    ]);

    // B: an organisation in Berlin; Friday 16:00 CEST to Monday 10:30 CET (DST ends in between).
    const b = new TaskWriter(store, berlinOrg);
    ids.b = await b.create(member, '2025-10-24T14:00:00.000Z', { title: 'Onboard Ann', taskType: 'user.onboard' });
    await b.act(ids.b, service, '2025-10-24T14:10:00.000Z', {
      type: 'CommentOnTask',
      commentId: randomUUID(),
      body: 'reminder',
    });
    await b.act(ids.b, admin, '2025-10-27T08:15:00.000Z', { type: 'ClaimTask' });
    await b.act(ids.b, admin, '2025-10-27T09:30:00.000Z', { type: 'CompleteTask', resolution: 'done' });

    await waitForCheckpoint(pool, await endOfLog(pool));
  });

  afterAll(async () => {
    await projector?.stop();
    await listener?.end();
    await store?.close();
    await pool?.end();
    await database?.drop();
  });

  const inbox = async (taskId: string) =>
    (await pool.query('SELECT * FROM inbox_tasks WHERE task_id = $1', [taskId])).rows[0];
  const facts = async (taskId: string) =>
    (await pool.query('SELECT * FROM task_facts WHERE task_id = $1', [taskId])).rows[0];
  const timeline = async (taskId: string) =>
    (await pool.query('SELECT * FROM task_timeline WHERE task_id = $1 ORDER BY revision', [taskId])).rows;

  it('keeps one inbox row per task, derived from the folded task and its events', async () => {
    expect(await pool.query('SELECT count(*)::int AS n FROM inbox_tasks').then((r) => r.rows[0].n)).toBe(4);
    const a = await inbox(ids.a);
    expect(a).toMatchObject({
      org_id: utcOrg,
      task_type: 'refund.approval',
      title: 'Refund order #1042',
      status: 'completed',
      status_rank: 3,
      processed_by: member.id,
      processed_at: new Date('2025-10-17T15:30:00.000Z'),
      source: service,
      priority: 'high',
      tags: ['refund', 'vip'],
      assignees: [],
      private: false,
      resolution: 'accepted',
      comment_count: 2,
      attachment_count: 1,
      created_at: new Date('2025-10-17T15:00:00.000Z'),
      updated_at: new Date('2025-10-20T10:00:00.000Z'),
      completed_at: new Date('2025-10-20T10:00:00.000Z'),
      cancelled_at: null,
      version: 9,
    });
    expect(a.state).toMatchObject({ exists: true, id: ids.a, status: 'completed', version: 10 });
    expect(await inbox(ids.c)).toMatchObject({
      status: 'cancelled',
      status_rank: 4,
      processed_by: null,
      resolution: null,
      version: 3,
    });
    expect(await inbox(ids.d)).toMatchObject({ status: 'pending', status_rank: 0, comment_count: 2, version: 2 });
    expect(await inbox(ids.b)).toMatchObject({
      org_id: berlinOrg,
      task_type: 'user.onboard',
      source: member,
      status: 'completed',
    });
  });

  it('writes a readable timeline line per event, with its actor and details', async () => {
    const a = await timeline(ids.a);
    expect(a.map((line) => line.summary)).toEqual([
      'Created by billing-service',
      `Claimed by ${member.id}`,
      `Comment: Please check the ledger. ${'x'.repeat(140 - 'Please check the ledger. '.length)}…`,
      'Comment: Any news?',
      'Attachment added: receipt.pdf',
      'Info posted by billing-service',
      'Details updated: priority, tags',
      'Put on hold: waiting for the bank',
      'Resumed',
      'Completed: accepted',
    ]);
    expect(a.map((line) => line.revision)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(a[0]).toMatchObject({
      org_id: utcOrg,
      event_type: 'TaskCreated',
      actor: service,
      occurred_at: new Date('2025-10-17T15:00:00.000Z'),
    });
    expect(a[2].details).toMatchObject({ body: longComment });
    expect(a[5].details).toEqual({ info: { refunded: false } });
    expect(a[6].details).toEqual({ changes: { priority: 'high', tags: ['refund', 'vip'] } });
    expect(a[9]).toMatchObject({ actor: member, details: { resolution: 'accepted' } });
    expect((await timeline(ids.c)).map((line) => line.summary)).toEqual([
      'Created by billing-service',
      `Claimed by ${member.id}`,
      'Released (forced by an admin)',
      'Cancelled: duplicate',
    ]);
    expect((await timeline(ids.b))[0].summary).toBe(`Created by ${member.id}`);
    expect(await pool.query('SELECT count(*)::int AS n FROM task_timeline').then((r) => r.rows[0].n)).toBe(
      10 + 4 + 3 + 4,
    );
  });

  it('records the facts stats need, business hours in the org calendar (default: Mon-Fri 09-17 UTC)', async () => {
    expect(await facts(ids.a)).toMatchObject({
      org_id: utcOrg,
      task_type: 'refund.approval',
      created_at: new Date('2025-10-17T15:00:00.000Z'),
      first_claimed_at: new Date('2025-10-17T15:30:00.000Z'),
      first_response_at: new Date('2025-10-17T15:30:00.000Z'),
      resolved_at: new Date('2025-10-20T10:00:00.000Z'),
      outcome: 'completed',
      resolution: 'accepted',
      resolution_seconds: 67 * 3600,
      // Friday 15-17 and Monday 09-10 UTC.
      business_seconds: 3 * 3600,
    });
    expect(await facts(ids.b)).toMatchObject({
      first_claimed_at: new Date('2025-10-27T08:15:00.000Z'),
      first_response_at: new Date('2025-10-27T08:15:00.000Z'),
      outcome: 'completed',
      resolution: 'done',
      resolution_seconds: 67.5 * 3600,
      // Friday 16:00-17:00 CEST and Monday 09:00-10:30 CET: the weekend and the DST change do not count.
      business_seconds: 2.5 * 3600,
    });
    expect(await facts(ids.c)).toMatchObject({
      first_claimed_at: new Date('2025-10-20T09:10:00.000Z'),
      resolved_at: new Date('2025-10-20T09:30:00.000Z'),
      outcome: 'cancelled',
      resolution: null,
      resolution_seconds: 30 * 60,
      business_seconds: 30 * 60,
    });
    expect(await facts(ids.d)).toMatchObject({
      first_claimed_at: null,
      first_response_at: new Date('2025-10-20T11:30:00.000Z'),
      resolved_at: null,
      outcome: null,
      resolution_seconds: null,
      business_seconds: null,
    });
  });

  it('notifies read_models_updated with the checkpoint after each batch', async () => {
    const end = await endOfLog(pool);
    await waitFor(() => notified.includes(end));
    expect(notified.length).toBeGreaterThan(1);
    expect([...notified].sort()).toEqual(notified);
  });

  it('rolls a batch back when the checkpoint is not where it was read', async () => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const writer = new TaskWriter(store, utcOrg);
      await projector.stop();
      const taskId = await writer.create(service, '2025-10-21T09:00:00.000Z');
      const after = (await liveCheckpoint(pool)) ?? undefined;
      // The log shows an append once no older transaction is still open anywhere on the server.
      let events = await store.readAll({ after });
      while (events.length === 0) events = await store.readAll({ after });
      await expect(applyBatch(client, liveProjection, events, null)).rejects.toBeInstanceOf(CheckpointMoved);
      expect(await inbox(taskId)).toBeUndefined();
      expect((await client.query('SELECT 1')).rowCount).toBe(1);
    } finally {
      await client.end();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
