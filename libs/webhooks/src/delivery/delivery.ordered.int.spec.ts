import { createServer, type Server } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { createLogger } from '@taskinbox/http';
import type { TaskEventEnvelope } from '@taskinbox/messaging';
import { MetricsRegistry } from '@taskinbox/metrics';
import { createTestDatabase, dropQueue, type TestDatabase } from '@taskinbox/testing';
import { EndpointService } from '../endpoints/endpoint.service';
import { WebhookMetrics } from '../metrics/webhook.metrics';
import { SecretCipher } from '../secrets/secret.cipher';
import { UrlGuard } from '../url/url.guard';
import { DeliveryQueueService } from './delivery-queue.service';
import { DeliveryFanOut } from './delivery.fan-out';
import { DeliveryPipeline } from './delivery.pipeline';
import { WebhookSender } from './webhook.sender';

// Found by npm run chaos: with no fault at all, an ordered endpoint got a task's event twice,
// 24 ms apart, from both webhooks processes. Revision n+1 was recorded while n was on its way;
// n's record then queued n+1 as next in line, and n+1's own first-attempts job, running just
// after, found n delivered and sent it too. Two processes, real PostgreSQL and Redis, a real
// receiver.
jest.setTimeout(30_000);

const queueName = `ordered-${randomUUID().slice(0, 8)}`;
let database: TestDatabase;
let pool: Pool;
let queue: DeliveryQueueService;
let receiver: Server;
/** Every request the receiver got, by webhook-id, in arrival order. */
const received: string[] = [];
/** How long the receiver holds each answer: an attempt in flight while another may start. */
let answerAfterMs = 0;
let orgId: string;
let endpointId: string;
let processes: DeliveryPipeline[];

beforeAll(async () => {
  database = await createTestDatabase('ordered');
  pool = new Pool({ connectionString: database.url, max: 6 });
  queue = new DeliveryQueueService('redis://127.0.0.1:6379', queueName, 'bull');
  receiver = createServer((request, response) => {
    received.push(String(request.headers['webhook-id']));
    request.resume();
    request.on('end', () => setTimeout(() => response.writeHead(204).end(), answerAfterMs));
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const port = (receiver.address() as { port: number }).port;

  const cipher = new SecretCipher(randomBytes(32));
  const guard = new UrlGuard(['127.0.0.1']);
  orgId = randomUUID();
  await pool.query('INSERT INTO organisations (id, slug, name) VALUES ($1, $2, $3)', [orgId, `ord-${orgId.slice(0, 8)}`, 'Ordered']);
  endpointId = randomUUID();
  await pool.query(
    `INSERT INTO webhook_endpoints (id, org_id, url, secret_encrypted, ordered, created_at) VALUES ($1, $2, $3, $4, true, now() - interval '1 hour')`,
    [endpointId, orgId, `http://127.0.0.1:${port}/hook`, cipher.encrypt(`whsec_${randomBytes(24).toString('base64')}`)],
  );
  // Two webhooks processes: each its own pipeline, sender and metrics; one database, one queue.
  processes = [1, 2].map(
    () =>
      new DeliveryPipeline(
        pool,
        new EndpointService(pool, cipher, guard, 60_000),
        queue,
        new WebhookSender(guard, { connectTimeoutMs: 2000, totalTimeoutMs: 5000, concurrency: 4 }),
        new WebhookMetrics(new MetricsRegistry({ processMetrics: false })),
        { retrySchedule: [5000], maxRetryAfterMs: 5000, disableAfterMs: 3_600_000, maxInFlightPerEndpoint: 100, ratePerSecond: 1000 },
        createLogger('silent'),
      ),
  );
});
afterAll(async () => {
  await queue?.close();
  await new Promise((resolve) => receiver?.close(resolve));
  await dropQueue(queueName);
  await pool?.end();
  await database?.drop();
});
beforeEach(async () => {
  received.length = 0;
  answerAfterMs = 0;
  await queue.queue.obliterate({ force: true });
});

function event(taskId: string, revision: number): TaskEventEnvelope {
  return {
    id: uuidv7(),
    type: 'task.commented',
    eventType: 'TaskCommented',
    orgId,
    taskId,
    taskType: 'refund',
    revision,
    position: String(revision),
    occurredAt: new Date().toISOString(),
    actor: 'user:x',
    correlationId: randomUUID(),
    data: null,
  } as TaskEventEnvelope;
}

/** A task's two events, recorded one after the other as the consumer does: their deliveries, leased to their first attempts' jobs. */
async function twoEvents(): Promise<{ first: string; second: string; ids: string[] }> {
  const fanOut = new DeliveryFanOut(pool);
  const taskId = randomUUID();
  const events = [event(taskId, 0), event(taskId, 1)];
  const [first] = (await fanOut.fanOut([events[0]])).created;
  const [second] = (await fanOut.fanOut([events[1]])).created;
  return { first, second, ids: events.map((e) => e.id) };
}

/** Runs every delivery job waiting in the queue on `pipeline`, as a worker would pick them up. */
async function runQueuedJobs(pipeline: DeliveryPipeline): Promise<void> {
  const jobs = await queue.queue.getJobs(['waiting', 'delayed', 'prioritized']);
  await Promise.all(jobs.filter((job) => job.name === 'deliver').map((job) => pipeline.attempt((job.data as { deliveryId: string }).deliveryId)));
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe('an ordered endpoint gets each event of a task once', () => {
  it('when the next event’s first attempt starts after the one before it was delivered', async () => {
    const { first, second, ids } = await twoEvents();
    const [one, two] = processes;

    await one.attempt(first);
    await one.recorded();
    // The second event's first-attempts job runs late, in the other process; while its request
    // is on its way, the first process picks up whatever the queue holds.
    answerAfterMs = 300;
    const late = two.attempt(second);
    await until(() => received.length === 2);
    await runQueuedJobs(one);
    await late;
    await Promise.all(processes.map((p) => p.recorded()));

    expect(received).toEqual(ids);
  });

  it('and the next event waits for the one before it, then goes at once, not when its lease runs out', async () => {
    const { first, second, ids } = await twoEvents();
    const [one, two] = processes;

    // Its first attempt finds the event before it still open and leaves it.
    expect(await two.attempt(second)).toEqual({ kind: 'skipped' });
    await one.attempt(first);
    await one.recorded();
    await runQueuedJobs(two);
    await Promise.all(processes.map((p) => p.recorded()));

    expect(received).toEqual(ids);
  });
});
