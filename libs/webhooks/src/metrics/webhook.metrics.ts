import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of this process's webhook deliveries (own registry, served at /metrics). */
export class WebhookMetrics {
  readonly registry = new Registry();
  readonly attempts = new Counter({
    name: 'webhook_attempts_total',
    help: 'Delivery attempts by endpoint and outcome (success, failure); failure rate per endpoint = rate(failure)/rate(all).',
    labelNames: ['endpoint', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly outcomes = new Counter({
    name: 'webhook_deliveries_total',
    help: 'Deliveries that reached a final state: delivered or failed.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'webhook_attempt_duration_seconds',
    help: 'Time from request start to response (or error) per attempt.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
    registers: [this.registry],
  });
  readonly lag = new Histogram({
    name: 'webhook_event_to_delivery_seconds',
    help: 'Time from the event being recorded to its successful delivery.',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60, 600, 3600, 36000],
    registers: [this.registry],
  });
  readonly notices = new Counter({
    name: 'webhook_endpoint_notices_total',
    help: 'Endpoint health changes: failing (a run of failures began), disabled, recovered.',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'webhook_queue_jobs',
    help: 'Jobs in the delivery queue by state.',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
}
