import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { inTransaction, InjectPool } from '@taskinbox/database';
import { type TaskEventType, taskStreamName } from '@taskinbox/domain';
import { publicEventType } from '@taskinbox/messaging';

/**
 * Erasing a task's payload (TaskPayloadErased) is the one sanctioned rewrite of stored events:
 * events are otherwise never changed, but a person's right to erasure outranks an immutable
 * history. Redacted in place, in one transaction: the payload of TaskCreated, the info of
 * TaskInfoPosted, the arguments and responses of custom actions, the same fields in webhook
 * bodies kept for resends, and the task's snapshot. What the events say happened stays.
 * Copies outside PostgreSQL (JetStream's TASK_EVENTS, within its retention) are not reached.
 */
@Injectable()
export class PayloadRedactor {
  constructor(@InjectPool() private readonly pool: Pool) {}

  async redact(taskId: string): Promise<void> {
    const stream = taskStreamName(taskId);
    await inTransaction(this.pool, async (db) => {
      for (const [eventType, field, redacted] of redactions) {
        await db.query(
          `UPDATE es_events SET data = jsonb_set(data, $3::text[], $4::jsonb)
           WHERE stream_id = $1 AND event_type = $2 AND data #> $3::text[] IS DISTINCT FROM $4::jsonb`,
          [stream, eventType, [field], JSON.stringify(redacted)],
        );
        await db.query(
          `UPDATE webhook_deliveries SET body = jsonb_set(body::jsonb, $3::text[], $4::jsonb)::text
           WHERE task_id = $1 AND event_type = $2`,
          [taskId, publicEventType(eventType), ['data', field], JSON.stringify(redacted)],
        );
      }
      await db.query('DELETE FROM stream_snapshots WHERE stream_id = $1', [stream]);
    });
  }
}

const erased = { erased: true };

const redactions: [eventType: TaskEventType, field: string, redacted: unknown][] = [
  ['TaskCreated', 'payload', {}],
  ['TaskInfoPosted', 'info', erased],
  ['TaskActionRequested', 'args', {}],
  ['TaskActionSucceeded', 'response', ''],
  ['TaskActionFailed', 'response', ''],
];
