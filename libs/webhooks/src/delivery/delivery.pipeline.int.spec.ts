import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { createLogger } from '@taskinbox/http';
import { createTestDatabase, type TestDatabase } from '@taskinbox/testing';
import type { EndpointService } from '../endpoints/endpoint.service';
import type { WebhookMetrics } from '../metrics/webhook.metrics';
import type { DeliveryQueueService } from './delivery-queue.service';
import { DeliveryPipeline } from './delivery.pipeline';
import type { WebhookSender } from './webhook.sender';

// The sweeper offers only deliveries overdue by its interval: one that just fell due has its
// job (the consumer enqueued it a moment ago, or its delayed job is firing), and offering those
// too cost a thousand EXISTS every sweep at any steady rate.

// A delivery whose first attempt rides in a job with others has no job of its own to find:
// its lease keeps the sweeper off it until that job has had its time.

let database: TestDatabase;
let pool: Pool;
let pipeline: DeliveryPipeline;
let endpointId: string;
let orgId: string;

beforeAll(async () => {
  database = await createTestDatabase('sweep');
  pool = new Pool({ connectionString: database.url, max: 2 });
  orgId = randomUUID();
  await pool.query('INSERT INTO organisations (id, slug, name) VALUES ($1, $2, $3)', [orgId, `sweep-${orgId.slice(0, 8)}`, 'Sweep']);
  endpointId = randomUUID();
  await pool.query(`INSERT INTO webhook_endpoints (id, org_id, url, secret_encrypted) VALUES ($1, $2, 'https://example.com/hook', 'x')`, [
    endpointId,
    orgId,
  ]);
  // Only the pool is used by due().
  pipeline = new DeliveryPipeline(
    pool,
    {} as EndpointService,
    {} as DeliveryQueueService,
    {} as WebhookSender,
    {} as WebhookMetrics,
    { retrySchedule: [1000], maxRetryAfterMs: 1000, disableAfterMs: 60_000, maxInFlightPerEndpoint: 1, ratePerSecond: 1 },
    createLogger('silent'),
  );
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

async function delivery(dueSecondsAgo: number, status = 'pending', leasedForSeconds?: number): Promise<string> {
  const id = randomUUID();
  await pool.query(
    `INSERT INTO webhook_deliveries (id, endpoint_id, org_id, event_id, event_type, task_id, revision, occurred_at, body, status, next_attempt_at, leased_until)
     VALUES ($1, $2, $3, $4, 'task.created', $5, 0, now(), '{}', $6, now() - make_interval(secs => $7), now() + make_interval(secs => $8))`,
    [id, endpointId, orgId, randomUUID(), randomUUID(), status, dueSecondsAgo, leasedForSeconds ?? null],
  );
  return id;
}

it('offers the deliveries overdue by the sweep interval, not those that fell due within it', async () => {
  const justDue = await delivery(1);
  const overdue = await delivery(60);
  const retrying = await delivery(30, 'retrying');
  await delivery(120, 'delivered');

  expect((await pipeline.due(100, 5000)).sort()).toEqual([overdue, retrying].sort());
  expect((await pipeline.due(100, 0)).sort()).toEqual([justDue, overdue, retrying].sort());
});

it('leaves a delivery to its first attempts\' job while leased, and offers it once the lease has run out', async () => {
  const leased = await delivery(60, 'pending', 30);
  const expired = await delivery(60, 'pending', -1);

  const offered = await pipeline.due(100, 5000);
  expect(offered).not.toContain(leased);
  expect(offered).toContain(expired);
});
