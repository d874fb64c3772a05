import 'reflect-metadata';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import { Client } from 'pg';
import { isMainThread, parentPort, Worker as Thread, workerData } from 'node:worker_threads';
import { ensureTaskEventsStream, natsNames, type TaskEventEnvelope, taskEventSubject } from '@taskinbox/messaging';
import { call, connectTestNats, dropQueue, prepareTemplateDatabase, startRunNats, startTestApp, stopRunNats, testNatsPrefix } from '@taskinbox/testing';
import { WebhooksModule } from '@taskinbox/webhooks';
import { printCpuProfile } from './cpu-profile.summary';
import { startSampling, stopSampling } from './cpu.sampling';
import { printCensus, statCpuMs, takeCensus } from './machine.census';

// Webhook delivery against a local receiver, next to BullMQ's raw no-op job rate on the same
// Redis: the gap is what PostgreSQL bookkeeping, signing and HTTP cost per delivery.
//
// The webhooks module runs in this process's main thread, alone, as in its service. The load
// (the publisher appending events to JetStream, as the relay does, and the receiver) runs in a
// worker thread: in production neither shares the module's event loop.

/**
 * CPU time of this process's main thread in ms (Linux clock ticks of 10 ms), or undefined
 * elsewhere: unlike a rate, it barely moves when other processes load the machine.
 */
function mainThreadCpuMs(): number | undefined {
  return statCpuMs(`/proc/self/task/${process.pid}/stat`);
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];

type Command = { kind: 'burst'; count: number } | { kind: 'steady'; rate: number; count: number } | { kind: 'stop' };
type Report =
  | { kind: 'ready'; receiver: string }
  | { kind: 'burst'; perSecond: number; cpuMs: number }
  | { kind: 'steady'; p50: number; p99: number; achievedRate: number };

/** The load thread: publishes task events and times each one's arrival at the receiver. */
async function load({ prefix, orgId }: { prefix: string; orgId: string }): Promise<void> {
  const names = natsNames(prefix);
  const port = parentPort!;
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
  const nc = await connectTestNats();
  const js = jetstream(nc);
  const publish = async () => {
    const envelope: TaskEventEnvelope = {
      id: randomUUID(), type: 'task.created', eventType: 'TaskCreated', orgId, taskId: randomUUID(), taskType: 'bench',
      revision: 0, position: '0', occurredAt: new Date().toISOString(), actor: 'user:bench', correlationId: 'bench', data: null,
    };
    sentAt.set(envelope.id, performance.now());
    await js.publish(taskEventSubject(names.events, envelope), JSON.stringify(envelope), { msgID: envelope.id });
  };
  const waitFor = async (count: number) => {
    while (receivedCount < count) await new Promise((resolve) => setTimeout(resolve, 20));
  };
  const reply = (report: Report) => port.postMessage(report);

  let expected = 0;
  port.on('message', (command: Command) => {
    void (async () => {
      if (command.kind === 'burst') {
        // Throughput: a burst, timed from the first publish to the last receipt.
        const start = performance.now();
        const cpu = process.threadCpuUsage();
        for (let i = 0; i < command.count; i += 100) await Promise.all(Array.from({ length: Math.min(100, command.count - i) }, publish));
        await waitFor((expected += command.count));
        const used = process.threadCpuUsage(cpu);
        reply({ kind: 'burst', perSecond: command.count / ((performance.now() - start) / 1000), cpuMs: (used.user + used.system) / 1000 });
      } else if (command.kind === 'steady') {
        // Latency at a steady rate: JetStream append to receipt at the receiver. Publishes are
        // paced against the clock, so a late timer sends the ones it owes at once.
        latencies.length = 0;
        const start = performance.now();
        for (let sent = 0; sent < command.count; ) {
          const owed = Math.min(command.count, Math.floor(((performance.now() - start) / 1000) * command.rate) + 1);
          while (sent < owed) {
            void publish();
            sent += 1;
          }
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
        const achievedRate = command.count / ((performance.now() - start) / 1000);
        await waitFor((expected += command.count));
        reply({ kind: 'steady', p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), achievedRate });
      } else {
        await nc.close();
        server.close();
        port.close();
      }
    })();
  });
  reply({ kind: 'ready', receiver: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook` });
}

async function main(): Promise<void> {
  const run = randomBytes(4).toString('hex');
  const prefix = testNatsPrefix();
  const names = natsNames(prefix);
  const queueName = `webhooks-bench-${run}`;

  // The module's thread is timed: the harness's handshake watch (a signed NATS handshake every 2 s) stays out of it.
  await Promise.all([prepareTemplateDatabase(), startRunNats({ watchHandshakes: false })]);
  const nc = await connectTestNats();
  await ensureTaskEventsStream(await jetstreamManager(nc), names, { maxAgeMs: 3600_000 });
  await nc.close();
  const t = await startTestApp({
    imports: [WebhooksModule.forRoot({ queueName, sweepIntervalMs: 2000 })],
    env: { NATS_SUBJECT_PREFIX: prefix, WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'), WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_RATE_PER_SECOND: '100000', WEBHOOK_MAX_IN_FLIGHT: '100' },
  });
  const org = await t.createOrganisation('bench');

  // The thread inherits TEST_NATS_* from startRunNats through process.env.
  const thread = new Thread(__filename, { workerData: { prefix, orgId: org.id } });
  thread.on('error', (error) => {
    console.error(error);
    process.exit(1);
  });
  const next = <Kind extends Report['kind']>(kind: Kind) =>
    new Promise<Extract<Report, { kind: Kind }>>((resolve) => {
      const listen = (report: Report) => {
        if (report.kind !== kind) return;
        thread.off('message', listen);
        resolve(report as Extract<Report, { kind: Kind }>);
      };
      thread.on('message', listen);
    });
  const { receiver } = await next('ready');
  await call(t.url, 'POST', '/api/webhooks/endpoints', { token: org.tokens.admin, body: { url: receiver, ordered: false } });

  const burst = Number(process.env.BENCH_BURST ?? 3000);
  // BENCH_CPU_PROFILE=1 samples the main thread (the module) during the burst, and prints where its time went.
  const profiler = process.env.BENCH_CPU_PROFILE ? new Session() : undefined;
  if (profiler) {
    profiler.connect();
    await startSampling(profiler);
  }
  // The statements the module sends (its pools' clients), counted for the census below.
  let statements = new Map<string, number>();
  const query = Client.prototype.query;
  Client.prototype.query = function (this: Client, ...args: unknown[]) {
    const text = (typeof args[0] === 'string' ? args[0] : String((args[0] as { text?: string }).text)).replace(/\s+/g, ' ').slice(0, 60);
    statements.set(text, (statements.get(text) ?? 0) + 1);
    return (query as (...args: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  const censusRedis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  // Backends publish their statistics when idle, at most once a second.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const census = await takeCensus(t.database.url, censusRedis);
  statements = new Map();
  const burstDone = next('burst');
  console.log(`burst of ${burst} starting`);
  const burstCpu = mainThreadCpuMs();
  thread.postMessage({ kind: 'burst', count: burst } satisfies Command);
  const { perSecond: deliveriesPerSecond, cpuMs: loadThreadMs } = await burstDone;
  const cpuPerDelivery = burstCpu === undefined ? undefined : (mainThreadCpuMs()! - burstCpu) / burst;
  // Delivered attempts are recorded after their receipt: those writes are part of the burst's cost.
  const watch = new Client({ connectionString: t.database.url });
  await watch.connect();
  const openCount = `SELECT count(*)::int AS open FROM webhook_deliveries WHERE status IN ('pending', 'retrying')`;
  while ((await watch.query<{ open: number }>(openCount)).rows[0].open > 0) await new Promise((resolve) => setTimeout(resolve, 100));
  await watch.end();
  // Backends publish their statistics when idle, at most once a second.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const sent = statements;
  sent.delete(openCount.replace(/\s+/g, ' ').slice(0, 60));
  Client.prototype.query = query;
  printCensus(census, await takeCensus(t.database.url, censusRedis), burst, loadThreadMs, sent);
  censusRedis.disconnect();
  const profileFile = profiler && join(mkdtempSync(join(tmpdir(), 'bench-webhooks-')), 'burst.cpuprofile');
  if (profiler && profileFile) {
    await stopSampling(profiler, profileFile);
    profiler.disconnect();
  }

  // Steady: 1,000 events/s for 10 s unless told otherwise.
  const rate = Number(process.env.BENCH_RATE ?? 1000);
  const steadyDone = next('steady');
  thread.postMessage({ kind: 'steady', rate, count: Number(process.env.BENCH_STEADY ?? rate * 10) } satisfies Command);
  const steady = await steadyDone;
  thread.postMessage({ kind: 'stop' } satisfies Command);
  await t.close();

  // BullMQ alone: no-op jobs through one worker at the same concurrency, with the app closed.
  const connection = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const rawName = `bench-raw-${run}`;
  const queue = new Queue(rawName, { connection, defaultJobOptions: { removeOnComplete: true } });
  const jobs = 10_000;
  let done = 0;
  const rawCpu = mainThreadCpuMs();
  const rawStart = performance.now();
  const worker = new Worker(rawName, async () => void (done += 1), { connection, concurrency: 100 });
  for (let i = 0; i < jobs; i += 500) await queue.addBulk(Array.from({ length: 500 }, () => ({ name: 'noop', data: {} })));
  while (done < jobs) await new Promise((resolve) => setTimeout(resolve, 20));
  const rawPerSecond = jobs / ((performance.now() - rawStart) / 1000);
  const cpuPerRawJob = rawCpu === undefined ? undefined : (mainThreadCpuMs()! - rawCpu) / jobs;
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
    // The module's own CPU per delivery (the load runs on another thread), beside BullMQ's per no-op job.
    'main-thread CPU per delivery (burst)': line(
      cpuPerDelivery === undefined || !cpuPerRawJob ? 'n/a' : `${cpuPerDelivery.toFixed(3)} ms = ${(cpuPerDelivery / cpuPerRawJob).toFixed(1)}× raw`,
      cpuPerRawJob === undefined ? '' : `BullMQ raw no-op ${cpuPerRawJob.toFixed(3)} ms/job`,
    ),
    [`append→receipt p50 @${rate}/s`]: line(`${Math.round(steady.p50)} ms`, ''),
    [`append→receipt p99 @${rate}/s`]: line(`${Math.round(steady.p99)} ms`, '≤ 50 ms'),
    'steady publish rate reached': line(`${Math.round(steady.achievedRate)} events/s`, `target ${rate} events/s`),
  });

  if (profileFile) {
    printCpuProfile('Webhooks module (main thread) during the burst', profileFile, 15, 40);
    console.log(`  (profile: ${profileFile}; open it in Chrome DevTools or speedscope)`);
  }

  await thread.terminate();
  await dropQueue(queueName);
  await stopRunNats();
}

(isMainThread ? main() : load(workerData as { prefix: string; orgId: string })).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
