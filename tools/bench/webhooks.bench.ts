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

  // Latency at a steady rate (default 1,000 events/s for 10 s): JetStream append to receipt at
  // the receiver. Publishes are paced against the clock, so a late timer sends the ones it owes
  // at once; the rate actually reached is printed beside the target.
  latencies.length = 0;
  const rate = Number(process.env.BENCH_RATE ?? 1000);
  const steady = Number(process.env.BENCH_STEADY ?? rate * 10);
  const steadyStart = performance.now();
  for (let sent = 0; sent < steady; ) {
    const owed = Math.min(steady, Math.floor(((performance.now() - steadyStart) / 1000) * rate) + 1);
    while (sent < owed) {
      void publish();
      sent += 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const achievedRate = steady / ((performance.now() - steadyStart) / 1000);
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

  const line = (figure: string, limit: string) => ({ figure, limit });
  console.table({
    'webhook deliveries/s (burst)': line(
      `${Math.round(deliveriesPerSecond)}/s = ${Math.round((deliveriesPerSecond / rawPerSecond) * 100)}% of raw`,
      `≥ 35% of BullMQ raw no-op ${Math.round(rawPerSecond)}/s`,
    ),
    [`append→receipt p50 @${rate}/s`]: line(`${Math.round(percentile(latencies, 0.5))} ms`, ''),
    [`append→receipt p99 @${rate}/s`]: line(`${Math.round(percentile(latencies, 0.99))} ms`, '≤ 50 ms'),
    'steady publish rate reached': line(`${Math.round(achievedRate)} events/s`, `target ${rate} events/s`),
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
