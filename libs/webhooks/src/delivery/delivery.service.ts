import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { TaskEventEnvelope } from '@taskinbox/messaging';
import { WebhookDeliveryNotFound, WebhookEndpointNotFound } from '../webhook.errors';
import type { EndpointService } from '../endpoints/endpoint.service';
import type { WebhookMetrics } from '../metrics/webhook.metrics';
import { signatureHeader, signingSecrets } from '../secrets/webhook.signer';
import type { DeliveryQueueService } from './delivery-queue.service';
import { EndpointThrottle } from './endpoint.throttle';
import { parseRetryAfter, retryDelay } from './retry.schedule';
import type { WebhookSender } from './webhook.sender';

export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'failed';

export interface DeliverySettings {
  retrySchedule: readonly number[];
  maxRetryAfterMs: number;
  disableAfterMs: number;
  maxInFlightPerEndpoint: number;
  ratePerSecond: number;
}

/** What the worker does with the job after an attempt. */
export type AttemptOutcome =
  | { kind: 'done' }
  /** Not attempted now (ordering, endpoint disabled, already final): nothing to do for this job. */
  | { kind: 'skipped' }
  /** Try again at this time (a retry or a throttled job); same job, moved to delayed. */
  | { kind: 'later'; at: number };

interface DueDelivery {
  id: string;
  endpoint_id: string;
  event_id: string;
  task_id: string;
  revision: number;
  occurred_at: Date;
  body: string;
  status: DeliveryStatus;
  attempts: number;
  url: string;
  enabled: boolean;
  ordered: boolean;
  failing_since: Date | null;
  blocked: boolean;
}

export interface DeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  taskId: string;
  sequence: number;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export interface AttemptView {
  id: string;
  deliveryId: string;
  attemptedAt: string;
  statusCode: number | null;
  latencyMs: number;
  succeeded: boolean;
  errorClass: string | null;
  responseBody: string | null;
}

const open = `('pending', 'retrying')`;

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

/** Deliveries in PostgreSQL (the truth) and the attempts that move them along. */
export class DeliveryService {
  private readonly throttle: EndpointThrottle;

  constructor(
    private readonly pool: Pool,
    private readonly endpoints: EndpointService,
    private readonly queue: DeliveryQueueService,
    private readonly sender: WebhookSender,
    private readonly metrics: WebhookMetrics,
    private readonly settings: DeliverySettings,
    private readonly logger: Logger,
  ) {
    this.throttle = new EndpointThrottle(settings.maxInFlightPerEndpoint, settings.ratePerSecond);
  }

  /**
   * One delivery per enabled endpoint of the organisation that wants this event and existed
   * when it happened; a repeated event adds nothing. Returns the ids of new deliveries.
   */
  async fanOut(envelope: TaskEventEnvelope): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `INSERT INTO webhook_deliveries (id, endpoint_id, org_id, event_id, event_type, task_id, revision, occurred_at, body)
       SELECT gen_random_uuid(), e.id, e.org_id, $2, $3, $4, $5, $6, $7 FROM webhook_endpoints e
       WHERE e.org_id = $1 AND e.enabled AND e.created_at <= $6
         AND (cardinality(e.event_types) = 0 OR $3 = ANY (e.event_types) OR 'task.*' = ANY (e.event_types))
         AND (cardinality(e.task_types) = 0 OR $8 = ANY (e.task_types))
       ON CONFLICT (endpoint_id, event_id) DO NOTHING
       RETURNING id`,
      [
        envelope.orgId,
        envelope.id,
        envelope.type,
        envelope.taskId,
        envelope.revision,
        envelope.occurredAt,
        webhookBody(envelope),
        envelope.taskType,
      ],
    );
    return rows.map((row) => row.id);
  }

  /**
   * Due deliveries that may go now: open, due, endpoint enabled, and (for ordered endpoints)
   * no earlier open delivery of the same task. Oldest first.
   */
  async due(limit: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
       WHERE d.status IN ${open} AND d.next_attempt_at <= now() AND e.enabled
         AND NOT (e.ordered AND EXISTS (
           SELECT 1 FROM webhook_deliveries p WHERE p.endpoint_id = d.endpoint_id AND p.task_id = d.task_id
             AND p.revision < d.revision AND p.status IN ${open}))
       ORDER BY d.next_attempt_at LIMIT $1`,
      [limit],
    );
    return rows.map((row) => row.id);
  }

  /** One attempt of one delivery, recorded; decides what happens next. */
  async attempt(deliveryId: string): Promise<AttemptOutcome> {
    const { rows } = await this.pool.query<DueDelivery>(
      `SELECT d.id, d.endpoint_id, d.event_id, d.task_id, d.revision, d.occurred_at, d.body, d.status, d.attempts,
              e.url, e.enabled, e.ordered, e.failing_since,
              EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.endpoint_id = d.endpoint_id AND p.task_id = d.task_id
                        AND p.revision < d.revision AND p.status IN ${open}) AS blocked
       FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.id = $1`,
      [deliveryId],
    );
    const delivery = rows[0];
    // Final, disabled or waiting for an earlier event of its task: the delivery that
    // unblocks it (or the sweeper, or a resend) enqueues it again.
    if (!delivery || !delivery.enabled || (delivery.status !== 'pending' && delivery.status !== 'retrying')) {
      return { kind: 'skipped' };
    }
    if (delivery.ordered && delivery.blocked) return { kind: 'skipped' };
    const wait = this.throttle.acquire(delivery.endpoint_id);
    if (wait > 0) return { kind: 'later', at: Date.now() + wait };
    try {
      return await this.send(delivery);
    } finally {
      this.throttle.release(delivery.endpoint_id);
    }
  }

  private async send(delivery: DueDelivery): Promise<AttemptOutcome> {
    const material = await this.endpoints.secretsOf(delivery.endpoint_id);
    if (!material) return { kind: 'skipped' };
    const now = new Date();
    const timestamp = Math.floor(now.getTime() / 1000);
    const result = await this.sender.send({
      url: delivery.url,
      body: delivery.body,
      headers: {
        ...material.headers,
        'content-type': 'application/json',
        'user-agent': 'taskinbox-webhooks/1',
        'webhook-id': delivery.event_id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signatureHeader(signingSecrets(material.secrets, now), delivery.event_id, timestamp, delivery.body),
      },
    });
    const succeeded = result.errorClass === undefined;
    this.metrics.latency.observe(result.latencyMs / 1000);
    this.metrics.attempts.inc({ endpoint: delivery.endpoint_id, outcome: succeeded ? 'success' : 'failure' });
    const attempts = delivery.attempts + 1;

    let status: DeliveryStatus;
    let nextAt: Date | undefined;
    let disable: string | undefined;
    if (succeeded) {
      status = 'delivered';
    } else if (result.statusCode === 410) {
      status = 'failed';
      disable = 'the endpoint answered 410 Gone';
    } else if (result.errorClass === 'address_refused') {
      status = 'failed';
    } else {
      const step = retryDelay(this.settings.retrySchedule, attempts);
      const hinted =
        result.statusCode === 429 || result.statusCode === 503 ? parseRetryAfter(result.retryAfter, now.getTime()) : undefined;
      const delay = step === undefined ? undefined : hinted === undefined ? step : Math.min(hinted, this.settings.maxRetryAfterMs);
      status = delay === undefined ? 'failed' : 'retrying';
      nextAt = delay === undefined ? undefined : new Date(now.getTime() + delay);
      const failingSince = delivery.failing_since ?? now;
      if (now.getTime() - failingSince.getTime() >= this.settings.disableAfterMs) {
        disable = `failing continuously since ${failingSince.toISOString()}`;
      }
    }
    const lastError = succeeded ? null : result.statusCode ? `${result.errorClass} ${result.statusCode}` : (result.errorClass ?? null);

    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO webhook_attempts (delivery_id, endpoint_id, attempted_at, status_code, latency_ms, succeeded, error_class, response_body)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [delivery.id, delivery.endpoint_id, now, result.statusCode ?? null, result.latencyMs, succeeded, result.errorClass ?? null, result.responseBody],
      );
      await client.query(
        `UPDATE webhook_deliveries SET status = $2, attempts = $3, next_attempt_at = coalesce($4, next_attempt_at),
           last_error = $5, delivered_at = CASE WHEN $2 = 'delivered' THEN now() ELSE delivered_at END, updated_at = now()
         WHERE id = $1`,
        [delivery.id, status, attempts, nextAt ?? null, lastError],
      );
      await client.query(
        `UPDATE webhook_endpoints SET
           failing_since = CASE WHEN $2 THEN NULL ELSE coalesce(failing_since, now()) END,
           enabled = enabled AND $3::text IS NULL,
           disabled_reason = coalesce($3, disabled_reason)
         WHERE id = $1`,
        [delivery.endpoint_id, succeeded, disable ?? null],
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    if (disable) this.logger.warn({ endpointId: delivery.endpoint_id, reason: disable }, 'webhook endpoint disabled');

    if (status === 'retrying' && nextAt) return { kind: 'later', at: nextAt.getTime() };
    this.metrics.outcomes.inc({ outcome: status });
    if (status === 'delivered') this.metrics.lag.observe((Date.now() - delivery.occurred_at.getTime()) / 1000);
    await this.enqueueNextOfTask(delivery);
    return { kind: 'done' };
  }

  /** Once a delivery is final, the next event of its task for that endpoint may go. */
  private async enqueueNextOfTask(delivery: DueDelivery): Promise<void> {
    if (!delivery.ordered) return;
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT id FROM webhook_deliveries WHERE endpoint_id = $1 AND task_id = $2 AND revision > $3 AND status IN ${open}
       ORDER BY revision LIMIT 1`,
      [delivery.endpoint_id, delivery.task_id, delivery.revision],
    );
    if (rows[0]) await this.queue.enqueue([rows[0].id]).catch(() => undefined);
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

  /** Re-queues every failed or still-open delivery created since `since`, oldest first. */
  async recover(orgId: string, endpointId: string, since: Date): Promise<{ queued: number }> {
    await this.assertEndpoint(orgId, endpointId);
    const { rows } = await this.pool.query<{ id: string }>(
      `WITH picked AS (
         UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = now(), updated_at = now()
         WHERE endpoint_id = $1 AND created_at >= $2 AND status IN ('failed', 'pending', 'retrying')
         RETURNING id, created_at, revision)
       SELECT id FROM picked ORDER BY created_at, revision`,
      [endpointId, since],
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
