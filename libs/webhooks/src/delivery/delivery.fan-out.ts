import type { Pool, PoolClient } from 'pg';
import type { TaskEventEnvelope } from '@taskinbox/messaging';

/** The webhook body: Standard Webhooks `{type, timestamp, data}`; `sequence` orders one task's events. */
export function webhookBody(envelope: TaskEventEnvelope): string {
  return JSON.stringify({
    type: envelope.type,
    timestamp: envelope.occurredAt,
    data: {
      ...(envelope.data ?? {}),
      ...(envelope.dataOmitted ? { dataOmitted: true } : {}),
      taskId: envelope.taskId,
      taskType: envelope.taskType,
      orgId: envelope.orgId,
      sequence: envelope.revision,
    },
  });
}

/** What one fan-out did: the new deliveries, and the events held back until the one before them is recorded. */
export interface FanOutResult {
  created: string[];
  /** The event each new delivery carries: delivery id → event id. */
  eventOf: Map<string, string>;
  /** Event ids to offer again later (nak): an earlier event of their task is not recorded yet. */
  deferred: Set<string>;
}

/**
 * How long the sweeper leaves a new delivery to the job carrying its first attempt (enqueued
 * right after its row): longer than that job waits in a backlog, since then the sweeper would
 * offer it a second time; short enough that one lost with Redis's data goes within a minute or so.
 */
export const firstAttemptLeaseMs = 60_000;

/** How long a task's event waits for the one before it before it goes anyway. */
export const defaultReorderGraceMs = 5 * 60_000;

// A named statement: each pool connection plans it once, not per batch.
const fanOutText = `WITH cursor AS (
         INSERT INTO webhook_task_cursors (task_id, revision) SELECT * FROM unnest($9::text[], $10::int[])
         ON CONFLICT (task_id) DO UPDATE SET revision = greatest(webhook_task_cursors.revision, excluded.revision))
       INSERT INTO webhook_deliveries (id, endpoint_id, org_id, event_id, event_type, task_id, revision, occurred_at, body, leased_until)
       SELECT gen_random_uuid(), e.id, e.org_id, v.event_id, v.event_type, v.task_id, v.revision, v.occurred_at, v.body,
              now() + make_interval(secs => ${firstAttemptLeaseMs / 1000})
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::int[], $6::timestamptz[], $7::text[], $8::text[])
              WITH ORDINALITY AS v(org_id, event_id, event_type, task_id, revision, occurred_at, body, task_type, n)
       JOIN webhook_endpoints e ON e.org_id = v.org_id AND e.enabled AND e.created_at <= v.occurred_at
         AND (cardinality(e.event_types) = 0 OR v.event_type = ANY (e.event_types)
              OR split_part(v.event_type, '.', 1) || '.*' = ANY (e.event_types))
         AND (cardinality(e.task_types) = 0 OR v.task_type = ANY (e.task_types))
       ORDER BY v.n
       ON CONFLICT (endpoint_id, event_id) DO NOTHING
       RETURNING id, event_id`;

/** Turns task events into delivery rows, the truth the attempt pipeline works from. */
export class DeliveryFanOut {
  constructor(
    private readonly pool: Pool,
    private readonly reorderGraceMs = defaultReorderGraceMs,
  ) {}

  /**
   * One delivery per enabled endpoint of the organisation that wants the event and existed
   * when it happened, for a whole batch of events in one transaction; a repeated event adds
   * nothing. A task's events are recorded in revision order: one whose predecessor is not
   * recorded yet (JetStream may hold or redeliver them out of order) is deferred, so an ordered
   * endpoint can never be sent revision n+1 before revision n exists. Returns the ids of new
   * deliveries, in task and revision order.
   */
  async fanOut(envelopes: readonly TaskEventEnvelope[]): Promise<FanOutResult> {
    if (envelopes.length === 0) return { created: [], eventOf: new Map(), deferred: new Set() };
    const sorted = [...envelopes].sort((a, b) => (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : a.revision - b.revision));
    // A task's first event never waits for another, whatever the cursor says: a batch of them
    // (a task's creation, the commonest event) needs neither the cursors' lock nor a
    // transaction, and is recorded in one statement.
    if (sorted.every((envelope) => envelope.revision === 0)) {
      const first = [...new Set(sorted.map((envelope) => envelope.taskId))];
      const rows = await this.insert(this.pool, sorted, first, first.map(() => 0));
      return { created: rows.map((row) => row.id), eventOf: new Map(rows.map((row) => [row.id, row.event_id])), deferred: new Set() };
    }
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // Locked in task order, so two consumers' batches never deadlock; a second one waits and reads the moved cursor.
      const { rows: cursorRows } = await client.query<{ task_id: string; revision: number }>(
        'SELECT task_id, revision FROM webhook_task_cursors WHERE task_id = ANY ($1::text[]) ORDER BY task_id FOR UPDATE',
        [[...new Set(sorted.map((envelope) => envelope.taskId))]],
      );
      const cursors = new Map(cursorRows.map((row) => [row.task_id, row.revision]));
      const accepted: TaskEventEnvelope[] = [];
      const deferred = new Set<string>();
      for (const envelope of sorted) {
        const cursor = cursors.get(envelope.taskId);
        // Past the grace an event goes regardless: its task predates the consumer, or its predecessor was dropped as malformed.
        const next = envelope.revision <= (cursor ?? -1) + 1 || Date.now() - Date.parse(envelope.occurredAt) > this.reorderGraceMs;
        if (!next) {
          deferred.add(envelope.id);
          continue;
        }
        accepted.push(envelope);
        cursors.set(envelope.taskId, Math.max(cursor ?? -1, envelope.revision));
      }
      const moved = [...new Set(accepted.map((envelope) => envelope.taskId))];
      const rows = accepted.length === 0 ? [] : await this.insert(client, accepted, moved, moved.map((id) => cursors.get(id)!));
      await client.query('COMMIT');
      return { created: rows.map((row) => row.id), eventOf: new Map(rows.map((row) => [row.id, row.event_id])), deferred };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Offers deliveries whose first-attempt job could not be enqueued to the sweeper at once,
   * rather than when their lease runs out.
   */
  async release(deliveryIds: readonly string[]): Promise<void> {
    await this.pool.query('UPDATE webhook_deliveries SET leased_until = NULL WHERE id = ANY ($1::uuid[])', [deliveryIds]);
  }

  /**
   * Inserts the deliveries, leased to the job that will carry their first attempts, and moves
   * the tasks' cursors, in one statement.
   */
  private async insert(
    db: Pool | PoolClient,
    envelopes: readonly TaskEventEnvelope[],
    cursorTasks: readonly string[],
    cursorRevisions: readonly number[],
  ): Promise<{ id: string; event_id: string }[]> {
    const { rows } = await db.query<{ id: string; event_id: string }>({
      name: 'webhook_fan_out',
      text: fanOutText,
      values: [
          envelopes.map((envelope) => envelope.orgId),
          envelopes.map((envelope) => envelope.id),
          envelopes.map((envelope) => envelope.type),
          envelopes.map((envelope) => envelope.taskId),
          envelopes.map((envelope) => envelope.revision),
          envelopes.map((envelope) => envelope.occurredAt),
          envelopes.map(webhookBody),
          envelopes.map((envelope) => envelope.taskType),
          cursorTasks,
          cursorRevisions,
      ],
    });
    return rows;
  }
}
