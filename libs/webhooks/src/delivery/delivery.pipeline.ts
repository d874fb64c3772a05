import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE, ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT } from '@opentelemetry/semantic-conventions';
import { LRUCache } from 'lru-cache';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { inSpan, tracingEnabled } from '@taskinbox/telemetry';
import type { EncryptedMaterial, EndpointService } from '../endpoints/endpoint.service';
import type { WebhookMetrics } from '../metrics/webhook.metrics';
import { signatureHeader, signingSecrets } from '../secrets/webhook.signer';
import type { DeliveryQueueService } from './delivery-queue.service';
import type { DeliveryStatus, EndpointNoticeKind } from './delivery.view';
import { EndpointThrottle } from './endpoint.throttle';
import { parseRetryAfter, retryDelay } from './retry.schedule';
import type { SendResult, WebhookSender } from './webhook.sender';
import { CallBatcher } from './call.batcher';

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

interface DueDelivery extends EncryptedMaterial {
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
  /** Still left to the job carrying its first attempts (a `deliverFirst` job). */
  leased: boolean;
}

/** One finished attempt and what it decided, waiting to be written. */
interface AttemptRecord {
  delivery: DueDelivery;
  attemptedAt: Date;
  result: SendResult;
  succeeded: boolean;
  status: DeliveryStatus;
  attempts: number;
  nextAt: Date | undefined;
  lastError: string | null;
  disable: string | undefined;
}

const open = `('pending', 'retrying')`;

// Named statements: each pool connection parses and plans them once, not per batch; at the few
// dozen attempts a batch carries, planning was much of PostgreSQL's time per delivery.
const loadText = `SELECT d.id, d.endpoint_id, d.event_id, d.task_id, d.revision, d.occurred_at, d.body, d.status, d.attempts,
              e.url, e.enabled, e.ordered, e.failing_since,
              e.secret_encrypted, e.previous_secret_encrypted, e.previous_secret_expires_at, e.headers_encrypted,
              e.ordered AND EXISTS (SELECT 1 FROM webhook_deliveries p WHERE p.endpoint_id = d.endpoint_id AND p.task_id = d.task_id
                                      AND p.revision < d.revision AND p.status IN ${open}) AS blocked,
              coalesce(d.leased_until > now(), false) AS leased
       FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.id = ANY ($1::uuid[])`;

const recordText = `WITH a AS (
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::int[], $5::int[], $6::boolean[], $7::text[],
                              $8::text[], $9::text[], $10::int[], $11::timestamptz[], $12::text[], $13::boolean[], $14::text[], $15::int[])
           AS a(delivery_id, endpoint_id, attempted_at, status_code, latency_ms, succeeded, error_class,
                response_body, status, attempts, next_attempt_at, last_error, follow, task_id, revision)),
       attempt AS (
         INSERT INTO webhook_attempts (delivery_id, endpoint_id, attempted_at, status_code, latency_ms, succeeded, error_class, response_body)
         SELECT delivery_id, endpoint_id, attempted_at, status_code, latency_ms, succeeded, error_class, response_body FROM a),
       delivery AS (
         UPDATE webhook_deliveries d SET status = a.status, attempts = a.attempts, next_attempt_at = coalesce(a.next_attempt_at, d.next_attempt_at),
           last_error = a.last_error, leased_until = NULL, delivered_at = CASE WHEN a.status = 'delivered' THEN now() ELSE d.delivered_at END, updated_at = now()
         FROM a WHERE d.id = a.delivery_id),
       h AS (SELECT * FROM unnest($16::uuid[], $17::boolean[], $18::text[], $19::text[]) AS h(endpoint_id, succeeded, disable, kind)),
       endpoint AS (
         UPDATE webhook_endpoints e SET
           failing_since = CASE WHEN h.succeeded THEN NULL ELSE coalesce(e.failing_since, now()) END,
           enabled = e.enabled AND h.disable IS NULL,
           disabled_reason = coalesce(h.disable, e.disabled_reason),
           health_since = now()
         FROM h WHERE e.id = h.endpoint_id
           AND CASE h.kind WHEN 'disabled' THEN e.enabled WHEN 'recovered' THEN e.failing_since IS NOT NULL ELSE e.failing_since IS NULL END
         RETURNING e.id, h.kind, h.disable),
       notice AS (
         INSERT INTO webhook_endpoint_notices (endpoint_id, kind, reason) SELECT id, kind, disable FROM endpoint
         RETURNING endpoint_id, kind, reason)
       SELECT 'notice' AS what, endpoint_id::text AS id, kind, reason FROM notice
       UNION ALL
       SELECT 'next', (SELECT CASE WHEN d.leased_until IS NULL OR d.leased_until <= now() THEN d.id::text END FROM webhook_deliveries d
                       WHERE d.endpoint_id = a.endpoint_id AND d.task_id = a.task_id AND d.revision > a.revision
                         AND d.status IN ${open} ORDER BY d.revision LIMIT 1), NULL, NULL
       FROM a WHERE a.follow`;

/** Past this many delivered attempts waiting for their record, jobs wait for theirs again (PostgreSQL is falling behind). */
const maxUnrecorded = 5000;

/**
 * The attempt pipeline: load a due delivery with its endpoint, sign and send it, record the
 * attempt and decide what comes next (done, retry later, disable the endpoint, release the
 * task's next ordered event).
 */
export class DeliveryPipeline {
  private readonly throttle: EndpointThrottle;
  private readonly loads: CallBatcher<string, DueDelivery | undefined>;
  private readonly records: CallBatcher<AttemptRecord, void>;
  private readonly releases: CallBatcher<string, void>;
  /** Deliveries being attempted now. */
  private readonly attempting = new Set<string>();
  /** Delivered attempts whose job has finished while their record is still being written. */
  private readonly unrecorded = new Map<string, Promise<void>>();
  /** Decrypted signing material per endpoint, keyed by its ciphertexts, so a rotation or a header change is a new entry. */
  private readonly materials = new LRUCache<string, ReturnType<EndpointService['decryptMaterial']>>({ max: 10_000 });

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
    // Jobs running side by side share their reads and writes: two statements per batch of
    // attempts rather than per attempt, which is what bounds throughput.
    // A few batches run side by side, so a job never waits behind another batch's round trip:
    // under load that wait, not the statements, is what kept the worker's slots busy.
    this.loads = new CallBatcher((ids) => this.load(ids), 500, 4);
    this.records = new CallBatcher((records) => this.recordRetryingConflicts(records), 500, 4);
    this.releases = new CallBatcher((ids) => this.releaseBlocked(ids), 500, 2);
  }

  /**
   * Due deliveries that may go now: open, due for at least `overdueMs`, not leased to a job of
   * first attempts, endpoint enabled, and (for ordered endpoints) no earlier open delivery of
   * the same task. Oldest first.
   */
  async due(limit: number, overdueMs = 0): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
       WHERE d.status IN ${open} AND d.next_attempt_at <= now() - make_interval(secs => $2::float8 / 1000) AND e.enabled
         AND (d.leased_until IS NULL OR d.leased_until <= now())
         AND NOT (e.ordered AND EXISTS (
           SELECT 1 FROM webhook_deliveries p WHERE p.endpoint_id = d.endpoint_id AND p.task_id = d.task_id
             AND p.revision < d.revision AND p.status IN ${open}))
       ORDER BY d.next_attempt_at LIMIT $1`,
      [limit, overdueMs],
    );
    // One whose attempt is done but not yet recorded still reads as open: it has been sent.
    return rows.map((row) => row.id).filter((id) => !this.unrecorded.has(id));
  }

  /** One attempt of one delivery, recorded; decides what happens next. */
  async attempt(deliveryId: string): Promise<AttemptOutcome> {
    // Its first attempts' job and the sweeper's offer, once the lease ran out, may meet here:
    // the one already under way decides what comes next.
    if (this.attempting.has(deliveryId)) return { kind: 'skipped' };
    this.attempting.add(deliveryId);
    try {
      return await this.attemptOnce(deliveryId);
    } finally {
      this.attempting.delete(deliveryId);
    }
  }

  private async attemptOnce(deliveryId: string): Promise<AttemptOutcome> {
    const delivery = await this.loads.call(deliveryId);
    // Final, disabled or waiting for an earlier event of its task: the delivery that
    // unblocks it (or the sweeper, or a resend) enqueues it again.
    if (!delivery || !delivery.enabled || (delivery.status !== 'pending' && delivery.status !== 'retrying')) {
      return { kind: 'skipped' };
    }
    if (delivery.ordered && delivery.blocked) {
      if (delivery.leased) await this.releases.call(delivery.id);
      return { kind: 'skipped' };
    }
    const wait = this.throttle.acquire(delivery.endpoint_id);
    if (wait > 0) return { kind: 'later', at: Date.now() + wait };
    try {
      return await this.send(delivery);
    } finally {
      this.throttle.release(delivery.endpoint_id);
    }
  }

  /** The deliveries (with endpoint and signing material) of the attempts starting now, in one query. */
  private async load(ids: string[]): Promise<(DueDelivery | undefined)[]> {
    const { rows } = await this.pool.query<DueDelivery>({ name: 'webhook_load', text: loadText, values: [ids] });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id));
  }

  /**
   * A first-attempts job leaves an ordered delivery whose task's earlier event is still open:
   * it gives up the lease, so the earlier one's record may enqueue it as next in line (that
   * record passes over leased ones, whose own job would send them too). Should the earlier one
   * have become final since the load, nobody else enqueues it: it is enqueued here. Should the
   * two statements each miss the other's write, the sweeper offers it within an interval.
   */
  private async releaseBlocked(ids: string[]): Promise<void[]> {
    const { rows } = await this.pool.query<{ id: string; unblocked: boolean }>(
      `UPDATE webhook_deliveries d SET leased_until = NULL WHERE d.id = ANY ($1::uuid[]) AND d.leased_until IS NOT NULL
       RETURNING d.id, d.status IN ${open} AND NOT EXISTS (
         SELECT 1 FROM webhook_deliveries p WHERE p.endpoint_id = d.endpoint_id AND p.task_id = d.task_id
           AND p.revision < d.revision AND p.status IN ${open}) AS unblocked`,
      [ids],
    );
    await this.queue.enqueue(rows.filter((row) => row.unblocked).map((row) => row.id)).catch(() => undefined);
    return ids.map(() => undefined);
  }

  private async send(delivery: DueDelivery): Promise<AttemptOutcome> {
    const materialKey = `${delivery.endpoint_id} ${delivery.secret_encrypted} ${delivery.previous_secret_encrypted} ${delivery.previous_secret_expires_at?.getTime()} ${delivery.headers_encrypted}`;
    let material = this.materials.get(materialKey);
    if (!material) {
      material = this.endpoints.decryptMaterial(delivery);
      this.materials.set(materialKey, material);
    }
    const now = new Date();
    const timestamp = Math.floor(now.getTime() / 1000);
    const result = await this.post(delivery.url, {
      url: delivery.url,
      body: delivery.body,
      headers: {
        ...material.headers,
        'content-type': 'application/json',
        'user-agent': 'taskinbox-webhooks/1',
        'webhook-id': delivery.event_id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signatureHeader(
          signingSecrets(material.secrets, now),
          delivery.event_id,
          timestamp,
          delivery.body,
        ),
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
        result.statusCode === 429 || result.statusCode === 503
          ? parseRetryAfter(result.retryAfter, now.getTime())
          : undefined;
      const delay =
        step === undefined ? undefined : hinted === undefined ? step : Math.min(hinted, this.settings.maxRetryAfterMs);
      status = delay === undefined ? 'failed' : 'retrying';
      nextAt = delay === undefined ? undefined : new Date(now.getTime() + delay);
      const failingSince = delivery.failing_since ?? now;
      if (now.getTime() - failingSince.getTime() >= this.settings.disableAfterMs) {
        disable = `failing continuously since ${failingSince.toISOString()}`;
      }
    }
    const recorded = this.records.call({
      delivery,
      attemptedAt: now,
      result,
      succeeded,
      status,
      attempts,
      nextAt,
      lastError: succeeded
        ? null
        : result.statusCode
          ? `${result.errorClass} ${result.statusCode}`
          : (result.errorClass ?? null),
      disable,
    });
    // A delivered attempt frees its job's slot before its record is written: that write was
    // a third of a job's time. Failures wait for theirs, since their next attempt reads it.
    if (status === 'delivered' && this.unrecorded.size < maxUnrecorded) {
      const settled = recorded
        .then(
          () => this.finished(delivery, status),
          // The row stays open, so the sweeper sends it again: at least once, as before.
          (error: unknown) =>
            this.logger.warn(
              { err: error, deliveryId: delivery.id },
              'webhook attempt not recorded; the sweeper sends it again',
            ),
        )
        .finally(() => this.unrecorded.delete(delivery.id));
      this.unrecorded.set(delivery.id, settled);
      return { kind: 'done' };
    }
    await recorded;
    if (status === 'retrying' && nextAt) return { kind: 'later', at: nextAt.getTime() };
    this.finished(delivery, status);
    return { kind: 'done' };
  }

  private finished(delivery: DueDelivery, status: DeliveryStatus): void {
    this.metrics.outcomes.inc({ outcome: status });
    if (status === 'delivered') this.metrics.lag.observe((Date.now() - delivery.occurred_at.getTime()) / 1000);
  }

  /** Resolves once every attempt that went ahead of its record is recorded (at shutdown, before the pool closes). */
  async recorded(): Promise<void> {
    await Promise.all(this.unrecorded.values());
  }

  /**
   * Sends one request; traced, as a client span naming the receiver's host (not the URL, whose
   * path or query may hold the receiver's own secret) and its answer.
   */
  private post(url: string, request: Parameters<WebhookSender['send']>[0]): Promise<SendResult> {
    if (!tracingEnabled()) return this.sender.send(request);
    const target = new URL(url);
    return inSpan(
      'POST',
      {
        kind: SpanKind.CLIENT,
        attributes: {
          [ATTR_HTTP_REQUEST_METHOD]: 'POST',
          [ATTR_SERVER_ADDRESS]: target.hostname,
          [ATTR_SERVER_PORT]: Number(target.port) || (target.protocol === 'https:' ? 443 : 80),
        },
      },
      async (span) => {
        const result = await this.sender.send(request);
        if (result.statusCode !== undefined) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, result.statusCode);
        if (result.errorClass) {
          span.setAttribute(
            ATTR_ERROR_TYPE,
            result.errorClass === 'http_status' ? String(result.statusCode) : result.errorClass,
          );
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
        return result;
      },
    );
  }

  /**
   * Batches recorded side by side only lock the same endpoint rows when health changes in
   * both; should that deadlock, the statement (atomic) is simply run again.
   */
  private async recordRetryingConflicts(records: AttemptRecord[]): Promise<void[]> {
    for (let tries = 1; ; tries++) {
      try {
        return await this.record(records);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (tries >= 3 || (code !== '40P01' && code !== '40001')) throw error;
      }
    }
  }

  /**
   * Records the attempts that finished together in one statement (atomic on its own): the
   * attempts, their deliveries, each endpoint's health and notice, and, for final deliveries
   * of ordered endpoints, the next open event of the task, which is enqueued.
   */
  private async record(records: AttemptRecord[]): Promise<void[]> {
    // An endpoint's health follows its last attempt in the batch; a disable anywhere wins.
    const health = new Map<string, { succeeded: boolean; disable?: string }>();
    for (const { delivery, succeeded, disable } of records) {
      const before = health.get(delivery.endpoint_id);
      health.set(delivery.endpoint_id, { succeeded, disable: before?.disable ?? disable });
    }
    const endpoints = [...health].map(([id, { succeeded, disable }]) => ({
      id,
      succeeded,
      disable: disable ?? null,
      kind: (disable ? 'disabled' : succeeded ? 'recovered' : 'failing') satisfies EndpointNoticeKind,
    }));
    // The endpoint row is only written when its health changes, so concurrent attempts to a
    // healthy endpoint never queue on its row lock; the WHERE is re-checked under that lock,
    // so each change is noticed once.
    const { rows } = await this.pool.query<{
      what: 'notice' | 'next';
      id: string | null;
      kind: EndpointNoticeKind | null;
      reason: string | null;
    }>({
      name: 'webhook_record',
      text: recordText,
      values: [
        records.map((r) => r.delivery.id),
        records.map((r) => r.delivery.endpoint_id),
        records.map((r) => r.attemptedAt),
        records.map((r) => r.result.statusCode ?? null),
        records.map((r) => r.result.latencyMs),
        records.map((r) => r.succeeded),
        records.map((r) => r.result.errorClass ?? null),
        records.map((r) => r.result.responseBody),
        records.map((r) => r.status),
        records.map((r) => r.attempts),
        records.map((r) => r.nextAt ?? null),
        records.map((r) => r.lastError),
        // Once a delivery is final, the next event of its task for that endpoint may go.
        records.map((r) => r.status !== 'retrying' && r.delivery.ordered),
        records.map((r) => r.delivery.task_id),
        records.map((r) => r.delivery.revision),
        endpoints.map((e) => e.id),
        endpoints.map((e) => e.succeeded),
        endpoints.map((e) => e.disable),
        endpoints.map((e) => e.kind),
      ],
    });
    // A next in line still leased is left to its own first-attempts job (enqueued too, it went
    // twice when that job found this one final); a job that found it waiting gave up the lease.
    const next: string[] = [];
    for (const row of rows) {
      if (row.what === 'next' && row.id) next.push(row.id);
      if (row.what === 'notice' && row.id && row.kind) this.noticed(row.id, row.kind, row.reason);
    }
    await this.queue.enqueue(next).catch(() => undefined);
    return records.map(() => undefined);
  }

  private noticed(endpointId: string, kind: EndpointNoticeKind, reason: string | null): void {
    this.metrics.notices.inc({ kind });
    const fields = { endpointId, notice: kind, ...(reason ? { reason } : {}) };
    if (kind === 'recovered') this.logger.info(fields, 'webhook endpoint recovered');
    else this.logger.warn(fields, `webhook endpoint ${kind}`);
  }
}
