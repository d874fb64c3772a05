import { Redis } from 'ioredis';
import { queueStates } from '@taskinbox/metrics';
import { createWebhookQueue, type DeliveryJobContext, enqueueDeliveries, type WebhookQueue } from './webhook.jobs';

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

  enqueue(deliveryIds: readonly string[], contextOf?: (deliveryId: string) => DeliveryJobContext | undefined): Promise<void> {
    return enqueueDeliveries(this.queue, deliveryIds, contextOf);
  }

  counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts(...queueStates);
  }

  async close(): Promise<void> {
    await this.queue.close();
    this.connection.disconnect();
  }
}
