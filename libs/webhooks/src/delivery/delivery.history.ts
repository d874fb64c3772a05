import type { Pool } from 'pg';
import { WebhookDeliveryNotFound, WebhookEndpointNotFound } from '../webhook.errors';
import type { DeliveryQueueService } from './delivery-queue.service';
import type { AttemptView, DeliveryStatus, DeliveryView, EndpointNoticeKind, EndpointNoticeView } from './delivery.view';

/** What admins read and do with an endpoint's deliveries: the log, its attempts and notices, resend and recover. */
export class DeliveryHistory {
  constructor(
    private readonly pool: Pool,
    private readonly queue: DeliveryQueueService,
  ) {}

  /** Health changes of an endpoint (failing, disabled, recovered), newest first. */
  async notices(orgId: string, endpointId: string, limit: number): Promise<EndpointNoticeView[]> {
    await this.assertEndpoint(orgId, endpointId);
    const { rows } = await this.pool.query<{ id: string; kind: EndpointNoticeKind; reason: string | null; created_at: Date }>(
      'SELECT id, kind, reason, created_at FROM webhook_endpoint_notices WHERE endpoint_id = $1 ORDER BY id DESC LIMIT $2',
      [endpointId, limit],
    );
    return rows.map((row) => ({ id: String(row.id), kind: row.kind, reason: row.reason, createdAt: row.created_at.toISOString() }));
  }

  async list(orgId: string, endpointId: string, filter: { status?: DeliveryStatus; limit: number }): Promise<DeliveryView[]> {
    await this.assertEndpoint(orgId, endpointId);
    const { rows } = await this.pool.query<{
      id: string;
      event_id: string;
      event_type: string;
      task_id: string;
      revision: number;
      status: DeliveryStatus;
      attempts: number;
      next_attempt_at: Date;
      last_error: string | null;
      created_at: Date;
      delivered_at: Date | null;
    }>(
      `SELECT id, event_id, event_type, task_id, revision, status, attempts, next_attempt_at, last_error, created_at, delivered_at
       FROM webhook_deliveries WHERE endpoint_id = $1 AND ($2::text IS NULL OR status = $2)
       ORDER BY created_at DESC, revision DESC LIMIT $3`,
      [endpointId, filter.status ?? null, filter.limit],
    );
    return rows.map((row) => ({
      id: row.id,
      eventId: row.event_id,
      eventType: row.event_type,
      taskId: row.task_id,
      sequence: row.revision,
      status: row.status,
      attempts: row.attempts,
      nextAttemptAt: row.status === 'pending' || row.status === 'retrying' ? row.next_attempt_at.toISOString() : null,
      lastError: row.last_error,
      createdAt: row.created_at.toISOString(),
      deliveredAt: row.delivered_at?.toISOString() ?? null,
    }));
  }

  async attemptsOf(orgId: string, endpointId: string, filter: { deliveryId?: string; limit: number }): Promise<AttemptView[]> {
    await this.assertEndpoint(orgId, endpointId);
    const { rows } = await this.pool.query<{
      id: string;
      delivery_id: string;
      attempted_at: Date;
      status_code: number | null;
      latency_ms: number;
      succeeded: boolean;
      error_class: string | null;
      response_body: string | null;
    }>(
      `SELECT id, delivery_id, attempted_at, status_code, latency_ms, succeeded, error_class, response_body
       FROM webhook_attempts WHERE endpoint_id = $1 AND ($2::uuid IS NULL OR delivery_id = $2)
       ORDER BY id DESC LIMIT $3`,
      [endpointId, filter.deliveryId ?? null, filter.limit],
    );
    return rows.map((row) => ({
      id: String(row.id),
      deliveryId: row.delivery_id,
      attemptedAt: row.attempted_at.toISOString(),
      statusCode: row.status_code,
      latencyMs: row.latency_ms,
      succeeded: row.succeeded,
      errorClass: row.error_class,
      responseBody: row.response_body,
    }));
  }

  /** Sends one delivery again with the same webhook-id, whatever its state, with a fresh retry schedule. */
  async resend(orgId: string, endpointId: string, deliveryId: string): Promise<void> {
    await this.assertEndpoint(orgId, endpointId);
    const { rowCount } = await this.pool.query(
      `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = now(), updated_at = now()
       WHERE id = $1 AND endpoint_id = $2`,
      [deliveryId, endpointId],
    );
    if (!rowCount) throw new WebhookDeliveryNotFound();
    await this.queue.enqueue([deliveryId]).catch(() => undefined);
  }

  /** Re-queues every failed or still-open delivery created since `since` (and before `until`), oldest first. */
  async recover(orgId: string, endpointId: string, since: Date, until?: Date): Promise<{ queued: number }> {
    await this.assertEndpoint(orgId, endpointId);
    const { rows } = await this.pool.query<{ id: string }>(
      `WITH picked AS (
         UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = now(), updated_at = now()
         WHERE endpoint_id = $1 AND created_at >= $2 AND ($3::timestamptz IS NULL OR created_at < $3)
           AND status IN ('failed', 'pending', 'retrying')
         RETURNING id, created_at, revision)
       SELECT id FROM picked ORDER BY created_at, revision`,
      [endpointId, since, until ?? null],
    );
    const ids = rows.map((row) => row.id);
    await this.queue.enqueue(ids).catch(() => undefined);
    return { queued: ids.length };
  }

  private async assertEndpoint(orgId: string, endpointId: string): Promise<void> {
    const { rowCount } = await this.pool.query('SELECT 1 FROM webhook_endpoints WHERE id = $1 AND org_id = $2', [endpointId, orgId]);
    if (!rowCount) throw new WebhookEndpointNotFound();
  }
}
