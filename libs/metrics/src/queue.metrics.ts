import type { MetricsRegistry } from './metrics.registry';

/** Job counts by state, as BullMQ's Queue.getJobCounts answers them. */
export type JobCounts = () => Promise<Record<string, number>>;

/** States read on scrape: what is still to do, and what is being done. */
export const queueStates = ['waiting', 'delayed', 'prioritized', 'active', 'failed'] as const;

const sources = new WeakMap<MetricsRegistry, Map<string, JobCounts>>();

/**
 * Adds a BullMQ queue to `taskinbox_queue_jobs{queue,state}`, read from Redis on scrape. Every
 * queue of the process shares the one family; a queue whose Redis does not answer is left out
 * of that scrape. Series: queues × 5 states.
 */
export function registerQueueDepth(metrics: MetricsRegistry, queue: string, counts: JobCounts): void {
  let queues = sources.get(metrics);
  if (!queues) {
    const registered = new Map<string, JobCounts>();
    queues = registered;
    sources.set(metrics, registered);
    metrics.computed({
      name: 'taskinbox_queue_jobs',
      help: 'Jobs in each BullMQ queue of this process by state (waiting, delayed, prioritized, active, failed).',
      type: 'gauge',
      labelNames: ['queue', 'state'],
      values: async () => {
        const read = await Promise.all(
          [...registered].map(async ([name, count]) =>
            Object.entries(await count().catch(() => ({}))).map(([state, value]) => ({
              labels: { queue: name, state },
              value,
            })),
          ),
        );
        return read.flat();
      },
    });
  }
  queues.set(queue, counts);
}
