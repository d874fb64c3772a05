import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import pino from 'pino';
import { v7 as uuidv7 } from 'uuid';
import {
  type Actor,
  type Task,
  type TaskCommand,
  decide,
  evolve,
  initialState,
  taskStreamName,
} from '@taskinbox/domain';
import type { EventStore } from '@taskinbox/event-store';
import { liveProjection } from './read-model.projection';
import { liveTables } from './read-model.tables';

// Test fixtures for the projection's integration tests: a task writer that works like ingest,
// a mixed workload, and helpers to snapshot and reset the read models.

export const silentLogger = pino({ level: 'silent' });

type CreateData = Extract<TaskCommand, { type: 'CreateTask' }>['data'];
type Distribute<T> = T extends unknown ? Omit<T, 'by' | 'now'> : never;
/** A command on an existing task, without its actor and time. */
export type TaskChange = Distribute<Exclude<TaskCommand, { type: 'CreateTask' }>>;

const actorRef = (actor: Actor): string => `${actor.kind}:${actor.id}`;

/** Decides commands on tasks it keeps folded in memory and appends at the revision it knows. */
export class TaskWriter {
  /** The position of the latest append this writer made. */
  lastPosition = '';
  private readonly tasks = new Map<string, { task: Task; revision: bigint }>();

  constructor(
    private readonly store: EventStore,
    readonly orgId: string,
  ) {}

  async create(by: Actor, now: string, details: Partial<CreateData> = {}): Promise<string> {
    const taskId = uuidv7();
    const data: CreateData = {
      taskId,
      orgId: this.orgId,
      taskType: 'refund.approval',
      title: `Refund order ${taskId.slice(-4)}`,
      payload: { amount: 25 },
      ...details,
    };
    this.tasks.set(taskId, { task: initialState(), revision: -1n });
    await this.run(taskId, { type: 'CreateTask', data, by, now });
    return taskId;
  }

  async act(taskId: string, by: Actor, now: string, change: TaskChange): Promise<void> {
    await this.run(taskId, { ...change, by, now } as TaskCommand);
  }

  private async run(taskId: string, command: TaskCommand): Promise<void> {
    const known = this.tasks.get(taskId)!;
    const result = decide(command, known.task);
    if (!result.ok) throw new Error(`${command.type} rejected: ${result.rejection.message}`);
    if (result.events.length === 0) return;
    const { nextExpectedRevision, position } = await this.store.appendToStream(
      taskStreamName(taskId),
      result.events.map((event) => ({
        id: uuidv7(),
        type: event.type,
        data: event.data,
        metadata: { orgId: this.orgId, actor: actorRef(command.by), correlationId: randomUUID() },
      })),
      { expectedRevision: known.revision < 0n ? 'no_stream' : known.revision },
    );
    this.tasks.set(taskId, { task: result.events.reduce(evolve, known.task), revision: nextExpectedRevision });
    if (position > this.lastPosition) this.lastPosition = position;
  }
}

export interface Cast {
  service: Actor;
  admin: Actor;
  member: Actor;
  member2: Actor;
}

export const cast = (): Cast => ({
  service: { kind: 'service', id: randomUUID(), name: 'billing-service' },
  admin: { kind: 'user', id: randomUUID(), role: 'admin' },
  member: { kind: 'user', id: randomUUID(), role: 'member' },
  member2: { kind: 'user', id: randomUUID(), role: 'member' },
});

type Step = [keyof Cast, TaskChange];

// Lives of tasks as the seeds describe them; each step is one command, so one append.
const scripts = (): Step[][] => [
  [
    ['member', { type: 'ClaimTask' }],
    ['member', { type: 'CommentOnTask', commentId: randomUUID(), body: 'Looking into it.' }],
    ['member', { type: 'CompleteTask', resolution: 'accepted' }],
  ],
  [
    ['service', { type: 'CommentOnTask', commentId: randomUUID(), body: 'Customer called again.' }],
    ['member2', { type: 'UpdateTaskDetails', changes: { priority: 'high', tags: ['refund', 'vip'] } }],
    ['member2', { type: 'ClaimTask' }],
    ['member2', { type: 'PutTaskOnHold', reason: 'waiting for the bank' }],
    ['member2', { type: 'ResumeTask' }],
    ['member2', { type: 'CompleteTask', resolution: 'rejected', note: 'duplicate' }],
  ],
  [
    ['member', { type: 'ClaimTask' }],
    ['admin', { type: 'ReleaseTask' }],
    ['admin', { type: 'CancelTask', reason: 'no longer needed' }],
  ],
  [
    [
      'service',
      {
        type: 'AddTaskAttachment',
        attachment: { id: randomUUID(), name: 'receipt.pdf', url: 'https://files.test/r.pdf' },
      },
    ],
    ['service', { type: 'PostTaskInfo', info: { refunded: false }, note: 'from the ledger' }],
    ['admin', { type: 'CommentOnTask', commentId: randomUUID(), body: 'Please attach the invoice.' }],
  ],
  [['service', { type: 'CancelTask', reason: 'order restored' }]],
];

/**
 * Appends a mixed workload: `tasks` tasks living through the scripts above, interleaved (each
 * round advances every task one step, concurrently; tasks start in four staggered waves, so
 * creations mix with the rest), with an idempotency stream now and then that projections must
 * ignore. Times start at `start` and advance an hour per step.
 */
export async function appendWorkload(
  writer: TaskWriter,
  store: EventStore,
  actors: Cast,
  tasks: number,
  start = Date.UTC(2025, 9, 17, 8),
): Promise<void> {
  const lives = Array.from({ length: tasks }, (_, index) => ({
    index,
    delay: index % 4,
    steps: scripts()[index % 5],
    taskId: '',
  }));
  const at = (index: number, step: number): string => new Date(start + index * 60_000 + step * 3_600_000).toISOString();
  for (let round = 0; lives.some((life) => round - life.delay <= life.steps.length); round++) {
    await Promise.all(
      lives.map(async (life) => {
        const step = round - life.delay;
        if (step < 0 || step > life.steps.length) return;
        if (step === 0) {
          life.taskId = await writer.create(actors.service, at(life.index, 0), {
            tags: ['refund'],
            priority: 'normal',
          });
          return;
        }
        const [who, change] = life.steps[step - 1];
        await writer.act(life.taskId, actors[who], at(life.index, step), change);
        if (life.index % 7 === 0) {
          await store.appendToStream(`idempotency-${randomUUID()}`, [
            {
              id: uuidv7(),
              type: 'IdempotencyKeyReserved',
              data: { taskId: life.taskId },
              metadata: { orgId: writer.orgId, actor: 'service:x', correlationId: randomUUID() },
            },
          ]);
        }
      }),
    );
  }
}

/** Every row of the projected tables, in key order, as JSON (the generated search column included). */
export async function snapshotReadModels(db: Pool): Promise<Record<'inbox' | 'timeline' | 'facts' | 'rollups', unknown[]>> {
  const rows = async (table: string, order: string): Promise<unknown[]> =>
    (await db.query<{ row: unknown }>(`SELECT to_jsonb(t) AS row FROM ${table} t ORDER BY ${order}`)).rows.map(
      (r) => r.row,
    );
  return {
    inbox: await rows(liveTables.inbox, 'task_id'),
    timeline: await rows(liveTables.timeline, 'task_id, revision'),
    facts: await rows(liveTables.facts, 'task_id'),
    // Sums rounded: added batch by batch or all at once, floating point may differ in the last bits.
    // Rows whose every count went back to zero (a deleted task's) are the same as no row.
    rollups: await rows(
      `(SELECT org_id, day, task_type, private, created, completed, cancelled, resolutions,
               round(resolution_seconds::numeric, 6) AS resolution_seconds, round(business_seconds::numeric, 6) AS business_seconds,
               slowest, slowest_business, sketch, business_sketch, open_at_end
        FROM resolution_rollups WHERE created <> 0 OR completed <> 0 OR cancelled <> 0)`,
      'org_id, day, task_type, private',
    ),
  };
}

/** Empties the read models and forgets the checkpoints, as before a first run. */
export async function resetReadModels(db: Pool): Promise<void> {
  await db.query(`TRUNCATE ${liveTables.inbox}, ${liveTables.timeline}, ${liveTables.facts}`);
  await db.query('DELETE FROM projection_checkpoints');
}

export async function liveCheckpoint(db: Pool): Promise<string | null> {
  const { rows } = await db.query<{ position: string | null }>(
    'SELECT position FROM projection_checkpoints WHERE name = $1',
    [liveProjection.checkpoint],
  );
  return rows[0]?.position ?? null;
}

/** The position of the last event in the log. */
export async function endOfLog(db: Pool): Promise<string> {
  const { rows } = await db.query<{ position: string }>(
    'SELECT es_position(tx_id, global_position) AS position FROM es_events ORDER BY tx_id DESC, global_position DESC LIMIT 1',
  );
  return rows[0].position;
}

/** Waits until the live checkpoint has reached `position`. */
export async function waitForCheckpoint(db: Pool, position: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await liveCheckpoint(db);
    if (current !== null && current >= position) return;
    if (Date.now() > deadline) throw new Error(`Checkpoint at ${current}, not ${position}, after ${timeoutMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
