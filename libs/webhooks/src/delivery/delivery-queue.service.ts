import { Redis } from 'ioredis';
import { queueStates } from '@taskinbox/metrics';
import { createWebhookQueue, type DeliveryJob, deliveryJobId, enqueueDeliveries, enqueueFirstAttempts, type WebhookQueue } from './webhook.jobs';

/** The producer side of the delivery queue. Fails fast while Redis is away: the sweeper catches up. */
export class DeliveryQueueService {
  readonly connection: Redis;
  readonly queue: WebhookQueue;

  constructor(redisUrl: string, name: string, prefix: string) {
    this.connection = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: false });
    // Reconnects on its own; an unhandled 'error' event would crash the process instead.
    this.connection.on('error', () => undefined);
    this.queue = createWebhookQueue(name, prefix, this.connection);
    this.queue.on('error', () => undefined);
  }

  enqueue(deliveryIds: readonly string[]): Promise<void> {
    return enqueueDeliveries(this.queue, deliveryIds.map((deliveryId) => ({ deliveryId })));
  }

  /** Each delivery's own job, waiting until its time (a retry, or a throttled attempt). */
  enqueueLater(deliveries: readonly (DeliveryJob & { at: number })[]): Promise<void> {
    return enqueueDeliveries(this.queue, deliveries);
  }

  /** The first attempts of deliveries just recorded (and leased), many to a job. */
  enqueueFirst(deliveries: readonly DeliveryJob[]): Promise<void> {
    return enqueueFirstAttempts(this.queue, deliveries);
  }

  /**
   * Enqueues those of the deliveries that have no job (the sweeper's offer). Adding an existing
   * job is a no-op anyway, but a costly one: under a backlog every sweep would re-add a thousand
   * waiting jobs through BullMQ's add script; one pipelined EXISTS per id is far cheaper.
   */
  async enqueueMissing(deliveryIds: readonly string[]): Promise<number> {
    if (deliveryIds.length === 0) return 0;
    const pipeline = this.connection.pipeline();
    for (const id of deliveryIds) pipeline.exists(this.queue.toKey(deliveryJobId(id)));
    const found = (await pipeline.exec()) ?? [];
    const missing = deliveryIds.filter((_, index) => found[index]?.[1] !== 1);
    await this.enqueue(missing);
    return missing.length;
  }

  counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts(...queueStates);
  }

  async close(): Promise<void> {
    await this.queue.close();
    this.connection.disconnect();
  }
}
