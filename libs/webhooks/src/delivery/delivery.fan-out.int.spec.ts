import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import type { TaskEventEnvelope } from '@taskinbox/messaging';
import { createTestDatabase, type TestDatabase } from '@taskinbox/testing';
import { DeliveryFanOut } from './delivery.fan-out';

// JetStream may hand the consumer a task's events out of order (the relay re-publishes after a
// NATS restart; a nak'd event comes back later). Found by npm run chaos: an ordered endpoint got
// revision n+1 before n. A task's event is now only recorded after the one before it.

let database: TestDatabase;
let pool: Pool;
let orgId: string;
let endpointId: string;

beforeAll(async () => {
  database = await createTestDatabase('fanout');
  pool = new Pool({ connectionString: database.url, max: 4 });
  orgId = randomUUID();
  await pool.query('INSERT INTO organisations (id, slug, name) VALUES ($1, $2, $3)', [orgId, `fan-${orgId.slice(0, 8)}`, 'Fan-out']);
  endpointId = randomUUID();
  await pool.query(
    `INSERT INTO webhook_endpoints (id, org_id, url, secret_encrypted, created_at) VALUES ($1, $2, 'https://example.com/hook', 'x', now() - interval '1 hour')`,
    [endpointId, orgId],
  );
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

function event(taskId: string, revision: number, occurredAt = new Date()): TaskEventEnvelope {
  return {
    id: uuidv7(),
    type: 'task.commented',
    eventType: 'TaskCommented',
    orgId,
    taskId,
    taskType: 'refund',
    revision,
    position: String(revision),
    occurredAt: occurredAt.toISOString(),
    actor: 'user:x',
    correlationId: randomUUID(),
    data: null,
  } as TaskEventEnvelope;
}

const recorded = async (taskId: string) =>
  (await pool.query<{ revision: number }>('SELECT revision FROM webhook_deliveries WHERE task_id = $1 ORDER BY created_at, revision', [taskId])).rows.map(
    (row) => row.revision,
  );

describe('a task’s events become deliveries in revision order only', () => {
  it('holds back a later event until the one before it is recorded', async () => {
    const fanOut = new DeliveryFanOut(pool);
    const taskId = randomUUID();
    const [first, second, third] = [0, 1, 2].map((revision) => event(taskId, revision));

    // Revision 1 first (as JetStream gave it): deferred, nothing recorded.
    const early = await fanOut.fanOut([second]);
    expect(early.created).toEqual([]);
    expect([...early.deferred]).toEqual([second.id]);
    expect(await recorded(taskId)).toEqual([]);

    // Revision 0 and then the redelivered 1 go through; 2 and 1 again in one batch go in order.
    expect((await fanOut.fanOut([first])).created).toHaveLength(1);
    const rest = await fanOut.fanOut([third, second]);
    expect(rest.deferred.size).toBe(0);
    expect(rest.created).toHaveLength(2);
    expect(await recorded(taskId)).toEqual([0, 1, 2]);

    // A repeated event adds nothing and is not deferred.
    expect(await fanOut.fanOut([first])).toEqual({ created: [], eventOf: new Map(), deferred: new Set() });
  });

  it('two consumers recording the same task at once still record it in order', async () => {
    const fanOut = new DeliveryFanOut(pool);
    const taskId = randomUUID();
    const events = Array.from({ length: 20 }, (_, revision) => event(taskId, revision));
    // Shuffled between two "processes", each retrying its deferred events as JetStream would.
    const halves = [events.filter((_, n) => n % 2 === 0).reverse(), events.filter((_, n) => n % 2 === 1)];
    await Promise.all(
      halves.map(async (mine) => {
        let left = mine;
        while (left.length > 0) {
          const { deferred } = await fanOut.fanOut(left);
          left = left.filter((e) => deferred.has(e.id));
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }),
    );
    expect(await recorded(taskId)).toEqual(events.map((e) => e.revision));
  });

  it('records a batch of tasks’ first events at once, and then each task’s next event goes through', async () => {
    const fanOut = new DeliveryFanOut(pool);
    const tasks = [randomUUID(), randomUUID(), randomUUID()];
    const first = await fanOut.fanOut(tasks.map((taskId) => event(taskId, 0)));
    expect(first).toEqual({ created: expect.any(Array), eventOf: expect.any(Map), deferred: new Set() });
    expect(first.created).toHaveLength(3);
    const next = await fanOut.fanOut(tasks.map((taskId) => event(taskId, 1)));
    expect(next.deferred.size).toBe(0);
    for (const taskId of tasks) expect(await recorded(taskId)).toEqual([0, 1]);
  });

  it('lets an event go after the grace when the one before it never comes (a task older than the consumer)', async () => {
    const fanOut = new DeliveryFanOut(pool, 60_000);
    const taskId = randomUUID();
    const old = event(taskId, 7, new Date(Date.now() - 120_000));
    const outcome = await fanOut.fanOut([old]);
    expect(outcome.deferred.size).toBe(0);
    expect(await recorded(taskId)).toEqual([7]);
    // From there on, order holds again.
    expect((await fanOut.fanOut([event(taskId, 9)])).deferred.size).toBe(1);
    expect((await fanOut.fanOut([event(taskId, 8)])).created).toHaveLength(1);
  });
});

describe('the lease of new deliveries', () => {
  const leasedFor = async (ids: readonly string[]) =>
    (
      await pool.query<{ seconds: number | null }>(
        'SELECT extract(epoch FROM leased_until - now())::float8 AS seconds FROM webhook_deliveries WHERE id = ANY ($1::uuid[])',
        [ids],
      )
    ).rows.map((row) => row.seconds);

  it('keeps the sweeper off them for a minute, unless their job could not be enqueued', async () => {
    const fanOut = new DeliveryFanOut(pool);
    const { created } = await fanOut.fanOut([event(randomUUID(), 0), event(randomUUID(), 0)]);
    expect(created).toHaveLength(2);
    for (const seconds of await leasedFor(created)) expect(seconds).toBeCloseTo(60, -1);

    await fanOut.release(created);
    expect(await leasedFor(created)).toEqual([null, null]);
  });
});
