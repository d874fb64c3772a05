import type { Pool } from 'pg';
import type { EventStore } from '@taskinbox/event-store';
import { cachedFor, type MetricsRegistry } from '@taskinbox/metrics';
import { type CheckpointLag, checkpointLag } from './health.checks';

/** Events counted behind at most; a lag past it shows as this plus one. */
export const lagMetricCap = 10_000;

/**
 * `taskinbox_<what>_lag_events` and `_lag_seconds` for a follower of the log (the read-model
 * projector, the relay), read on scrape and kept 5 s. Seconds behind is the age of the oldest
 * event not yet covered: it grows while the follower is stuck even when nothing new arrives.
 */
export function registerLagMetrics(
  metrics: MetricsRegistry,
  what: 'projection' | 'relay',
  pool: Pool,
  store: EventStore,
  checkpoint: string,
): void {
  const lag = cachedFor<CheckpointLag>(5_000, () => checkpointLag(pool, store, checkpoint, lagMetricCap));
  const label = what === 'projection' ? 'the read-model projector' : 'the relay (event store → NATS)';
  metrics.computed({
    name: `taskinbox_${what}_lag_events`,
    help: `Events ${label} has yet to handle (counted up to ${lagMetricCap}, then ${lagMetricCap + 1}).`,
    type: 'gauge',
    values: async () => [{ value: (await lag()).events }],
  });
  metrics.computed({
    name: `taskinbox_${what}_lag_seconds`,
    help: `Age in seconds of the oldest event ${label} has yet to handle; 0 when caught up.`,
    type: 'gauge',
    values: async () => [{ value: (await lag()).seconds }],
  });
}
