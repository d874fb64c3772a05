import 'reflect-metadata';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { ensureTaskEventsStream, natsNames, type TaskEventEnvelope, taskEventSubject } from '@taskinbox/messaging';
import { call, connectTestNats, dropQueue, prepareTemplateDatabase, startRunNats, startTestApp, stopRunNats, testNatsPrefix } from '@taskinbox/testing';
import { WebhooksModule } from '@taskinbox/webhooks';

// Webhook delivery against a local receiver, next to BullMQ's raw no-op job rate on the same
// Redis: the gap is what PostgreSQL bookkeeping, signing and HTTP cost per delivery.
const run = randomBytes(4).toString('hex');
const prefix = testNatsPrefix();
const names = natsNames(prefix);
const queueName = `webhooks-bench-${run}`;
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];

async function main(): Promise<void> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let receivedCount = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const id = String(request.headers['webhook-id']);
      const start = sentAt.get(id);
      if (start !== undefined) latencies.push(performance.now() - start);
      receivedCount += 1;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const receiver = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;

  await Promise.all([prepareTemplateDatabase(), startRunNats()]);
  const nc = await connectTestNats();
  await ensureTaskEventsStream(await jetstreamManager(nc), names, { maxAgeMs: 3600_000 });
  const t = await startTestApp({
    imports: [WebhooksModule.forRoot({ queueName, sweepIntervalMs: 2000 })],
    env: { NATS_SUBJECT_PREFIX: prefix, WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'), WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_RATE_PER_SECOND: '100000', WEBHOOK_MAX_IN_FLIGHT: '100' },
  });
  const org = await t.createOrganisation('bench');
  await call(t.url, 'POST', '/api/webhooks/endpoints', { token: org.tokens.admin, body: { url: receiver, ordered: false } });
  const js = jetstream(nc);
  const publish = async () => {
    const envelope: TaskEventEnvelope = {
      id: randomUUID(), type: 'task.created', eventType: 'TaskCreated', orgId: org.id, taskId: randomUUID(), taskType: 'bench',
      revision: 0, position: '0', occurredAt: new Date().toISOString(), actor: 'user:bench', correlationId: 'bench', data: null,
    };
    sentAt.set(envelope.id, performance.now());
    await js.publish(taskEventSubject(names.events, envelope), JSON.stringify(envelope), { msgID: envelope.id });
  };
  const waitFor = async (count: number) => {
    while (receivedCount < count) await new Promise((resolve) => setTimeout(resolve, 20));
  };

  // Throughput: a burst, timed from the first publish to the last receipt.
  const burst = Number(process.env.BENCH_BURST ?? 3000);
  const burstStart = performance.now();
  for (let i = 0; i < burst; i += 100) await Promise.all(Array.from({ length: Math.min(100, burst - i) }, publish));
  await waitFor(burst);
  const deliveriesPerSecond = burst / ((performance.now() - burstStart) / 1000);

  // Latency at a steady 200 events/s for 10 s: JetStream append to receipt at the receiver.
  latencies.length = 0;
  const steady = 2000;
  const steadyStart = performance.now();
  for (let i = 0; i < steady; i++) {
    const due = steadyStart + i * 5;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    void publish();
  }
  await waitFor(burst + steady);

  // BullMQ alone: no-op jobs through one worker at the same concurrency.
  const connection = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const rawName = `bench-raw-${run}`;
  const queue = new Queue(rawName, { connection, defaultJobOptions: { removeOnComplete: true } });
  const jobs = 10_000;
  let done = 0;
  const rawStart = performance.now();
  const worker = new Worker(rawName, async () => void (done += 1), { connection, concurrency: 100 });
  for (let i = 0; i < jobs; i += 500) await queue.addBulk(Array.from({ length: 500 }, () => ({ name: 'noop', data: {} })));
  while (done < jobs) await new Promise((resolve) => setTimeout(resolve, 20));
  const rawPerSecond = jobs / ((performance.now() - rawStart) / 1000);
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();

  console.table({
    'webhook deliveries/s (burst)': { value: Math.round(deliveriesPerSecond) },
    'append→receipt p50 ms @200/s': { value: Math.round(percentile(latencies, 0.5)) },
    'append→receipt p99 ms @200/s': { value: Math.round(percentile(latencies, 0.99)) },
    'BullMQ raw no-op jobs/s': { value: Math.round(rawPerSecond) },
  });

  await t.close();
  await nc.close();
  await dropQueue(queueName);
  await stopRunNats();
  server.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
