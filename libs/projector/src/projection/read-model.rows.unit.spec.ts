import type { Actor, ExistingTask, TaskEvent } from '@taskinbox/domain';
import type { RecordedEvent } from '@taskinbox/event-store';
import { type StoredTask, foldBatch, taskIdOf } from './read-model.rows';
import { describeEvent } from './timeline.summary';

const taskId = '0199f0a4-7c1e-7000-8000-000000000001';
const orgId = '0199f0a4-7c1e-7000-8000-0000000000aa';
const service: Actor = { kind: 'service', id: 'key-1', name: 'billing-service' };
const member: Actor = { kind: 'user', id: 'u-1', role: 'member' };
const admin: Actor = { kind: 'user', id: 'u-2', role: 'admin' };

let position = 0;
const recorded = (
  event: TaskEvent | { type: string; data: unknown },
  revision: number,
  streamId = `task-${taskId}`,
): RecordedEvent => ({
  id: `0199f0a4-7c1e-7000-8000-${String(++position).padStart(12, '0')}`,
  type: event.type,
  streamId,
  revision: BigInt(revision),
  position: String(position).padStart(10, '0'),
  data: event.data,
  metadata: { orgId, actor: 'user:u-1', correlationId: 'c' },
  createdAt: new Date(),
});

const created: TaskEvent = {
  type: 'TaskCreated',
  data: {
    taskId,
    orgId,
    taskType: 'refund.approval',
    title: 'Refund order #1042',
    payload: { amount: 25 },
    source: service,
    dueAt: '2025-12-01',
    createdAt: '2025-10-17T15:00:00.000Z',
  },
};
const comment = (by: Actor, at: string): TaskEvent => ({
  type: 'TaskCommented',
  data: { taskId, by, commentId: 'c1', body: 'hello', commentedAt: at },
});

describe('foldBatch', () => {
  it('folds a new task into one inbox row, one timeline line per event and its facts', () => {
    const rows = foldBatch(
      [
        recorded(created, 0),
        recorded(comment(service, '2025-10-17T15:05:00.000Z'), 1),
        recorded({ type: 'TaskClaimed', data: { taskId, by: member, claimedAt: '2025-10-17T15:10:00.000Z' } }, 2),
      ],
      new Map(),
    );
    expect(rows.inbox).toHaveLength(1);
    expect(rows.inbox[0]).toMatchObject({
      task_id: taskId,
      status: 'processing',
      status_rank: 1,
      processed_by: 'u-1',
      comment_count: 1,
      version: 2,
      // A date without a time is read as UTC midnight, whatever the database session's zone.
      due_at: '2025-12-01T00:00:00.000Z',
      tags: [],
      private: false,
    });
    expect(rows.timeline.map((line) => [line.revision, line.summary])).toEqual([
      [0, 'Created by billing-service'],
      [1, 'Comment: hello'],
      [2, 'Claimed by u-1'],
    ]);
    // A service's comment is not a response; the claim is.
    expect(rows.facts).toEqual([
      expect.objectContaining({
        first_claimed_at: '2025-10-17T15:10:00.000Z',
        first_response_at: '2025-10-17T15:10:00.000Z',
        resolved_at: null,
        outcome: null,
      }),
    ]);
  });

  it('continues from the stored task and its counts', () => {
    const state = foldBatch([recorded(created, 0)], new Map()).inbox[0].state;
    const stored = new Map<string, StoredTask>([[taskId, { state, commentCount: 3, attachmentCount: 1 }]]);
    const rows = foldBatch(
      [
        recorded(comment(member, '2025-10-17T16:00:00.000Z'), 1),
        recorded(
          {
            type: 'TaskCancelled',
            data: { taskId, by: admin, reason: 'duplicate', cancelledAt: '2025-10-17T17:00:00.000Z' },
          },
          2,
        ),
      ],
      stored,
    );
    expect(rows.inbox[0]).toMatchObject({ status: 'cancelled', comment_count: 4, attachment_count: 1, version: 2 });
    expect(rows.inbox[0].state).toMatchObject<Partial<ExistingTask>>({
      version: 3,
      cancelledAt: '2025-10-17T17:00:00.000Z',
    });
    expect(rows.facts[0]).toMatchObject({
      first_response_at: '2025-10-17T16:00:00.000Z',
      resolved_at: '2025-10-17T17:00:00.000Z',
      outcome: 'cancelled',
      resolution: null,
    });
  });

  it('ignores other streams, and moves the row to the revision of an event type it does not know', () => {
    const rows = foldBatch(
      [
        recorded(created, 0),
        recorded({ type: 'IdempotencyKeyReserved', data: { taskId } }, 0, 'idempotency-abc'),
        recorded({ type: 'TaskEscalated', data: { taskId } }, 1),
      ],
      new Map(),
    );
    expect(rows.inbox).toHaveLength(1);
    expect(rows.inbox[0].version).toBe(1);
    expect(rows.timeline).toHaveLength(1);
  });

  it('leaves the facts alone when a batch has nothing for them', () => {
    const state = foldBatch([recorded(created, 0)], new Map()).inbox[0].state;
    const stored = new Map<string, StoredTask>([[taskId, { state, commentCount: 0, attachmentCount: 0 }]]);
    const rows = foldBatch(
      [
        recorded(comment(service, '2025-10-17T16:00:00.000Z'), 1),
        recorded(
          {
            type: 'TaskUpdated',
            data: { taskId, by: member, changes: { priority: 'high' }, updatedAt: '2025-10-17T16:10:00.000Z' },
          },
          2,
        ),
      ],
      stored,
    );
    expect(rows.inbox[0]).toMatchObject({ priority: 'high', comment_count: 1, version: 2 });
    expect(rows.facts).toEqual([]);
  });

  it('carries the privacy flag into the facts, also when an update changes it', () => {
    const state = foldBatch([recorded(created, 0)], new Map()).inbox[0].state;
    expect(foldBatch([recorded(created, 0)], new Map()).facts[0].private).toBe(false);
    const stored = new Map<string, StoredTask>([[taskId, { state, commentCount: 0, attachmentCount: 0 }]]);
    const rows = foldBatch(
      [
        recorded(
          { type: 'TaskUpdated', data: { taskId, by: member, changes: { private: true }, updatedAt: '2025-10-17T16:10:00.000Z' } },
          1,
        ),
      ],
      stored,
    );
    expect(rows.facts).toEqual([expect.objectContaining({ task_id: taskId, private: true, resolved_at: null })]);
  });

  it('writes nothing for events of a task it has never seen created', () => {
    expect(foldBatch([recorded(comment(member, '2025-10-17T16:00:00.000Z'), 1)], new Map())).toEqual({
      inbox: [],
      timeline: [],
      facts: [],
    });
  });
});

describe('taskIdOf', () => {
  it('reads the id of task streams only', () => {
    expect(taskIdOf(`task-${taskId.toUpperCase()}`)).toBe(taskId);
    expect(taskIdOf('task-not-a-uuid')).toBeUndefined();
    expect(taskIdOf(`idempotency-${taskId}`)).toBeUndefined();
  });
});

describe('describeEvent', () => {
  it('says what happened in one line', () => {
    const at = '2025-10-17T15:00:00.000Z';
    const lines = (
      [
        { type: 'TaskReleased', data: { taskId, by: member, previousClaimer: 'u-1', forced: false, releasedAt: at } },
        { type: 'TaskStatusChanged', data: { taskId, by: member, from: 'processing', to: 'waiting', changedAt: at } },
        { type: 'TaskStatusChanged', data: { taskId, by: member, from: 'waiting', to: 'processing', changedAt: at } },
        {
          type: 'TaskCompleted',
          data: { taskId, by: member, resolution: 'rejected', note: 'duplicate', completedAt: at },
        },
        { type: 'TaskCancelled', data: { taskId, by: service, cancelledAt: at } },
        {
          type: 'TaskUpdated',
          data: { taskId, by: member, changes: { tags: ['a'], dueAt: at, title: 'New' }, updatedAt: at },
        },
        { type: 'TaskInfoPosted', data: { taskId, by: service, info: { ok: true }, postedAt: at } },
        {
          type: 'TaskCommented',
          data: { taskId, by: member, commentId: 'c', body: ' line one\n\n  line two ', commentedAt: at },
        },
      ] as TaskEvent[]
    ).map(describeEvent);
    expect(lines.map((line) => line.summary)).toEqual([
      'Released by u-1',
      'Put on hold',
      'Resumed',
      'Completed: rejected',
      'Cancelled',
      'Details updated: dueAt, tags, title',
      'Info posted by billing-service',
      'Comment: line one line two',
    ]);
    expect(lines[3].details).toEqual({ resolution: 'rejected', note: 'duplicate' });
    expect(lines[4]).toEqual({ actor: service, occurredAt: at, summary: 'Cancelled', details: {} });
  });

  it('cuts a long comment at 140 characters without splitting a character', () => {
    const body = `${'é'.repeat(139)}😀😀`;
    const { summary, details } = describeEvent({
      type: 'TaskCommented',
      data: { taskId, by: member, commentId: 'c', body, commentedAt: '2025-10-17T15:00:00.000Z' },
    });
    expect(summary).toBe(`Comment: ${'é'.repeat(139)}😀…`);
    expect(details.body).toBe(body);
  });
});
