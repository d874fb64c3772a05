import type { Pool } from 'pg';
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

/** Turns task events into delivery rows, the truth the attempt pipeline works from. */
export class DeliveryFanOut {
  constructor(private readonly pool: Pool) {}

  /**
   * One delivery per enabled endpoint of the organisation that wants the event and existed
   * when it happened, for a whole batch of events in one statement; a repeated event adds
   * nothing. Returns the ids of new deliveries, in event order.
   */
  async fanOut(envelopes: readonly TaskEventEnvelope[]): Promise<string[]> {
    if (envelopes.length === 0) return [];
    const { rows } = await this.pool.query<{ id: string }>(
      `INSERT INTO webhook_deliveries (id, endpoint_id, org_id, event_id, event_type, task_id, revision, occurred_at, body)
       SELECT gen_random_uuid(), e.id, e.org_id, v.event_id, v.event_type, v.task_id, v.revision, v.occurred_at, v.body
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::int[], $6::timestamptz[], $7::text[], $8::text[])
              WITH ORDINALITY AS v(org_id, event_id, event_type, task_id, revision, occurred_at, body, task_type, n)
       JOIN webhook_endpoints e ON e.org_id = v.org_id AND e.enabled AND e.created_at <= v.occurred_at
         AND (cardinality(e.event_types) = 0 OR v.event_type = ANY (e.event_types) OR 'task.*' = ANY (e.event_types))
         AND (cardinality(e.task_types) = 0 OR v.task_type = ANY (e.task_types))
       ORDER BY v.n
       ON CONFLICT (endpoint_id, event_id) DO NOTHING
       RETURNING id`,
      [
        envelopes.map((envelope) => envelope.orgId),
        envelopes.map((envelope) => envelope.id),
        envelopes.map((envelope) => envelope.type),
        envelopes.map((envelope) => envelope.taskId),
        envelopes.map((envelope) => envelope.revision),
        envelopes.map((envelope) => envelope.occurredAt),
        envelopes.map(webhookBody),
        envelopes.map((envelope) => envelope.taskType),
      ],
    );
    return rows.map((row) => row.id);
  }
}
