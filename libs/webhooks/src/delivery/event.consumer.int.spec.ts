import pino from 'pino';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { createLogger } from '@taskinbox/http';
import {
  connectNats,
  ensureTaskEventsStream,
  natsNames,
  type TaskEventEnvelope,
  taskEventSubject,
} from '@taskinbox/messaging';
import { testNatsPrefix, testNatsSettings } from '@taskinbox/testing';
import type { DeliveryQueueService } from './delivery-queue.service';
import type { DeliveryFanOut } from './delivery.fan-out';
import { WebhookEventConsumer } from './event.consumer';

// Real NATS (the run's own server, as taskinbox's services). The fan-out is a recorder: this
// test is about what the consumer hears from JetStream, not about delivery rows.
jest.setTimeout(40_000);

const nats = testNatsSettings();
const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');

let nc: NatsConnection;
beforeAll(async () => {
  nc = await connectNats(nats, 'webhook-consumer-test');
});
afterAll(async () => {
  await nc?.close();
});

function envelope(): TaskEventEnvelope {
  const taskId = randomUUID();
  return {
    id: randomUUID(),
    type: 'task.created',
    eventType: 'TaskCreated',
    orgId: randomUUID(),
    taskId,
    taskType: 'refund.request',
    revision: 0,
    position: '00000000000000000042:00000000000000000007',
    occurredAt: new Date().toISOString(),
    actor: 'service:test',
    correlationId: randomUUID(),
    data: { taskId },
  };
}

async function until(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

describe('WebhookEventConsumer', () => {
  it('hears events the relay published before it could reach the stream, when the webhooks service started first', async () => {
    const prefix = testNatsPrefix();
    const names = natsNames(prefix);
    const heard: TaskEventEnvelope[] = [];
    const fanOut = {
      fanOut: async (envelopes: readonly TaskEventEnvelope[]) => {
        heard.push(...envelopes);
        return { created: [], deferred: new Set<string>() };
      },
    } as unknown as DeliveryFanOut;
    const queue = { enqueueFirst: async () => undefined } as unknown as DeliveryQueueService;
    const logged: { level: number; msg: string }[] = [];
    const consumer = new WebhookEventConsumer(
      () => connectNats(nats, 'webhook-consumer-under-test'),
      { names, consumerName: 'webhooks', consumerBatchSize: 10 },
      fanOut,
      queue,
      pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line)) }),
    );
    const jsm = await jetstreamManager(nc);
    try {
      // The webhooks service starts while no stream exists yet (the relay has never run).
      consumer.start();
      await new Promise((resolve) => setTimeout(resolve, 1500));
      // Waiting for a stream the relay has not made yet is normal at a first start: said, not warned of.
      expect(logged.map(({ level, msg }) => [level, msg])).toContainEqual([30, 'webhook event consumer waiting for the relay to create the stream']);
      expect(logged.filter(({ level }) => level >= 40)).toEqual([]);
      // The relay starts, makes the stream and publishes at once, before the consumer's next attempt.
      await ensureTaskEventsStream(jsm, names);
      const event = envelope();
      await jetstream(nc).publish(taskEventSubject(names.events, event), JSON.stringify(event), { msgID: event.id });

      expect(await until(() => heard.length > 0, 30_000)).toBe(true);
      expect(heard.map((one) => one.id)).toEqual([event.id]);
    } finally {
      await consumer.stop();
      await jsm.streams.delete(names.stream).catch(() => undefined);
    }
  });

  it('stops at once while it waits to try the stream again, instead of sitting the wait out', async () => {
    const consumer = new WebhookEventConsumer(
      () => connectNats(nats, 'webhook-consumer-under-test'),
      // A stream that never comes: the waits between attempts grow (0.5 s, 1 s, 2 s, 4 s…).
      { names: natsNames(testNatsPrefix()), consumerName: 'webhooks', consumerBatchSize: 10 },
      {} as DeliveryFanOut,
      {} as DeliveryQueueService,
      logger,
    );
    consumer.start();
    await new Promise((resolve) => setTimeout(resolve, 4000));
    const asked = Date.now();
    await consumer.stop();
    // Stopped during a wait of 4 s or more; a stop that waited it out would take seconds.
    expect(Date.now() - asked).toBeLessThan(1000);
  });
});
