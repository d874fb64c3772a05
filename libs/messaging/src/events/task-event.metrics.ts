import { Counter, register } from 'prom-client';
import type { TaskEventRejection } from './task-event.check';

/**
 * Messages on task-event subjects that a consumer dropped, by consumer (webhooks, live) and
 * reason (unreadable, schema, subject). Anything above zero means someone publishes where only
 * the relay should, or a relay and its consumers disagree on the envelope. In prom-client's
 * default registry, which /metrics serves.
 */
export const droppedTaskEvents =
  (register.getSingleMetric('taskinbox_task_events_dropped_total') as Counter<'consumer' | 'reason'> | undefined) ??
  new Counter({
    name: 'taskinbox_task_events_dropped_total',
    help: 'Messages on task-event subjects dropped by a consumer because their body did not match their schema or subject.',
    labelNames: ['consumer', 'reason'] as const,
  });

export function countDropped(consumer: 'webhooks' | 'live', reason: TaskEventRejection): void {
  droppedTaskEvents.inc({ consumer, reason });
}
