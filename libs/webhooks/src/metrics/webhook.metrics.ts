import { Counter, Histogram } from 'prom-client';
import { type MetricsRegistry, registerQueueDepth } from '@taskinbox/metrics';

/**
 * Prometheus metrics of this process's webhook deliveries, in the process registry (served at
 * /metrics by libs/metrics). Endpoint labels are endpoint ids: one series pair per endpoint.
 */
export class WebhookMetrics {
  readonly attempts: Counter<'endpoint' | 'outcome'>;
  readonly outcomes: Counter<'outcome'>;
  readonly latency: Histogram;
  readonly lag: Histogram;
  readonly notices: Counter<'kind'>;

  constructor(metrics: MetricsRegistry, queueCounts?: () => Promise<Record<string, number>>) {
    const registers = [metrics.registry];
    this.attempts = new Counter({
      name: 'webhook_attempts_total',
      help: 'Delivery attempts by endpoint and outcome (success, failure); failure rate per endpoint = rate(failure)/rate(all).',
      labelNames: ['endpoint', 'outcome'] as const,
      registers,
    });
    this.outcomes = new Counter({
      name: 'webhook_deliveries_total',
      help: 'Deliveries that reached a final state: delivered or failed.',
      labelNames: ['outcome'] as const,
      registers,
    });
    this.latency = new Histogram({
      name: 'webhook_attempt_duration_seconds',
      help: 'Time from request start to response (or error) per attempt.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
      registers,
    });
    this.lag = new Histogram({
      name: 'webhook_event_to_delivery_seconds',
      help: 'Time from the event being recorded to its successful delivery.',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60, 600, 3600, 36000],
      registers,
    });
    this.notices = new Counter({
      name: 'webhook_endpoint_notices_total',
      help: 'Endpoint health changes: failing (a run of failures began), disabled, recovered.',
      labelNames: ['kind'] as const,
      registers,
    });
    if (queueCounts) {
      registerQueueDepth(metrics, 'webhooks', queueCounts);
      // Read from Redis on scrape; Redis away leaves the family out of that scrape.
      metrics.computed({
        name: 'webhook_queue_jobs',
        help: 'Jobs in the delivery queue by state.',
        type: 'gauge',
        labelNames: ['state'],
        values: async () => Object.entries(await queueCounts()).map(([state, value]) => ({ labels: { state }, value })),
      });
    }
  }
}
