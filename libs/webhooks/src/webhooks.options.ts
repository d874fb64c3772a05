import type { Resolver } from './url/url.guard';

export const WEBHOOKS_OPTIONS = Symbol('taskinbox.webhooks-options');

export interface WebhooksOptions {
  /** Durable JetStream consumer name (on the stream of NATS_SUBJECT_PREFIX); default `webhooks`. */
  consumerName: string;
  /** BullMQ queue name and key prefix; default `webhook-deliveries` / `bull`. */
  queueName: string;
  queuePrefix: string;
  /** Waits before each retry (±20% jitter); one more failure after the last is final. */
  retrySchedule: readonly number[];
  /** How often due deliveries without a job are re-enqueued. */
  sweepIntervalMs: number;
  /** Requests in flight at once per worker process. */
  concurrency: number;
  /** Most task events the JetStream consumer records in one INSERT. */
  consumerBatchSize: number;
  /** Overrides WEBHOOK_DISABLE_AFTER_HOURS (tests): failing continuously this long disables an endpoint. */
  disableAfterMs?: number;
  /** How long a rotated-out secret keeps signing. */
  rotationOverlapMs: number;
  /** Longest honoured Retry-After. */
  maxRetryAfterMs: number;
  connectTimeoutMs: number;
  totalTimeoutMs: number;
  /** False: API only (no consumer, worker or sweeper in this process). */
  deliver: boolean;
  resolver?: Resolver;
}

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;

export const defaultRetrySchedule = [5 * second, 5 * minute, 30 * minute, 2 * hour, 5 * hour, 10 * hour, 10 * hour];

export function webhooksOptions(options: Partial<WebhooksOptions>): WebhooksOptions {
  return {
    consumerName: 'webhooks',
    queueName: 'webhook-deliveries',
    queuePrefix: 'bull',
    retrySchedule: defaultRetrySchedule,
    sweepIntervalMs: 5 * second,
    concurrency: 100,
    consumerBatchSize: 256,
    rotationOverlapMs: 24 * hour,
    maxRetryAfterMs: hour,
    connectTimeoutMs: 5 * second,
    totalTimeoutMs: 15 * second,
    deliver: true,
    ...options,
  };
}
