import { type JetStreamManager, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { type EventToAppend, PostgresEventStore } from '@taskinbox/event-store';
import { createLogger } from '@taskinbox/http';
import { createTestDatabase, type TestDatabase, testNatsPrefix, testNatsSettings } from '@taskinbox/testing';
import type { TaskEventEnvelope } from '../events/event-envelope';
import { natsNames } from '../events/event-subjects';
import { connectNats } from '../nats.connection';
import { relayCheckpointName, type RelayOptions, RelayService } from './relay.service';

// Real PostgreSQL and NATS (the run's own server, as taskinbox's services). Every test gets its
// own database and subject prefix, hence its own stream, so tests never see each other's messages.
jest.setTimeout(30_000);

const nats = testNatsSettings();
const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');

let nc: NatsConnection;
let jsm: JetStreamManager;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  nc = await connectNats(nats, 'relay-test');
  jsm = await jetstreamManager(nc);
});
afterEach(async () => {
  // Newest first; one failing cleanup must not leave the rest (databases, streams) behind.
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});
afterAll(async () => {
  await nc?.close();
});

interface Env {
  database: TestDatabase;
  pool: Pool;
  store: PostgresEventStore;
  prefix: string;
  streamName: string;
  subjectPrefix: string;
  /** Every event appended so far, in the order the log holds them (appends here run one after another). */
  appended: { id: string; streamId: string }[];
  /** Position of the last event appended. */
  lastPosition?: string;
}

async function environment(): Promise<Env> {
  const prefix = testNatsPrefix();
  const names = natsNames(prefix);
  const database = await createTestDatabase('relay');
  const pool = new Pool({ connectionString: database.url, max: 6 });
  // pool.end() resolves before its sessions are gone, so dropping the database may still kill one.
  pool.on('error', () => undefined);
  const store = new PostgresEventStore({ pool, pollIntervalMs: 100 });
  const env: Env = {
    database,
    pool,
    store,
    prefix,
    streamName: names.stream,
    subjectPrefix: names.events,
    appended: [],
  };
  cleanups.push(async () => {
    await store.close();
    await pool.end();
    await database.drop();
    await jsm.streams.delete(env.streamName).catch(() => undefined);
  });
  return env;
}

interface RunningRelay {
  relay: RelayService;
  /** The NATS connections the relay opened, newest last. */
  connections: NatsConnection[];
}

function startRelay(env: Env, options: RelayOptions = {}): RunningRelay {
  const connections: NatsConnection[] = [];
  const relay = new RelayService(
    {
      store: env.store,
      pool: env.pool,
      logger,
      connectNats: async () => {
        const connection = await connectNats(nats, 'relay-under-test');
        connections.push(connection);
        return connection;
      },
    },
    {
      prefix: env.prefix,
      batchSize: 5,
      standbyPollMs: 100,
      retryMinMs: 50,
      retryMaxMs: 500,
      publishTimeoutMs: 3000,
      ...options,
    },
  );
  relay.start();
  cleanups.push(() => relay.stop());
  return { relay, connections };
}

const metadata = (orgId: string) => ({ orgId, actor: 'service:test', correlationId: randomUUID() });

async function append(env: Env, streamId: string, events: EventToAppend[]): Promise<string> {
  const { position } = await env.store.appendToStream(streamId, events);
  env.appended.push(...events.map(({ id }) => ({ id, streamId })));
  env.lastPosition = position;
  return position;
}

async function createTask(env: Env, orgId: string, taskType: string): Promise<string> {
  const taskId = randomUUID();
  const source = { kind: 'service', id: 'test', name: 'test' };
  await append(env, `task-${taskId}`, [
    {
      id: randomUUID(),
      type: 'TaskCreated',
      data: {
        taskId,
        orgId,
        taskType,
        title: `a ${taskType}`,
        payload: {},
        source,
        createdAt: new Date().toISOString(),
      },
      metadata: metadata(orgId),
    },
  ]);
  return taskId;
}

async function claim(env: Env, orgId: string, taskId: string): Promise<string> {
  const by = { kind: 'user', id: randomUUID(), role: 'member' };
  return append(env, `task-${taskId}`, [
    {
      id: randomUUID(),
      type: 'TaskClaimed',
      data: { taskId, by, claimedAt: new Date().toISOString() },
      metadata: metadata(orgId),
    },
  ]);
}

async function comment(env: Env, orgId: string, taskId: string, count = 1): Promise<void> {
  const by = { kind: 'user', id: randomUUID(), role: 'member' };
  const events = Array.from({ length: count }, (_, index) => ({
    id: randomUUID(),
    type: 'TaskCommented',
    data: { taskId, by, commentId: randomUUID(), body: `comment ${index}`, commentedAt: new Date().toISOString() },
    metadata: metadata(orgId),
  }));
  await append(env, `task-${taskId}`, events);
}

/** The task events appended so far, in log order. */
const taskEvents = (env: Env) => env.appended.filter((event) => event.streamId.startsWith('task-'));

interface Stored {
  seq: number;
  subject: string;
  msgId: string | undefined;
  envelope: TaskEventEnvelope;
}

async function storedMessages(env: Env): Promise<Stored[]> {
  const { state } = await jsm.streams.info(env.streamName);
  const stored: Stored[] = [];
  for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq++) {
    const message = await jsm.streams.getMessage(env.streamName, { seq });
    if (message)
      stored.push({
        seq,
        subject: message.subject,
        msgId: message.header.get('Nats-Msg-Id') || undefined,
        envelope: message.json(),
      });
  }
  return stored;
}

async function checkpoint(env: Env): Promise<string | null> {
  const { rows } = await env.pool.query<{ position: string | null }>(
    'SELECT position FROM projection_checkpoints WHERE name = $1',
    [relayCheckpointName],
  );
  return rows[0]?.position ?? null;
}

async function waitFor(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const caughtUp = (env: Env) =>
  waitFor('the relay checkpoint to reach the last event', async () => (await checkpoint(env)) === env.lastPosition);

/** Each task event exactly once, in log order: ids, message ids and sequence numbers line up. */
async function expectExactlyOnceInOrder(env: Env): Promise<Stored[]> {
  const stored = await storedMessages(env);
  const expected = taskEvents(env).map((event) => event.id);
  expect(stored.map((message) => message.envelope.id)).toEqual(expected);
  expect(stored.map((message) => message.msgId)).toEqual(expected);
  expect(stored.map((message) => message.seq)).toEqual(expected.map((_, index) => index + 1));
  return stored;
}

describe('RelayService', () => {
  it('publishes every task event once, in log order, under org, event type and task type, then follows live', async () => {
    const env = await environment();
    const [acme, globex] = [randomUUID(), randomUUID()];
    const refund = await createTask(env, acme, 'refund.approval');
    const flag = await createTask(env, globex, 'content-flag');
    await append(env, `idempotency-${randomUUID()}`, [
      { id: randomUUID(), type: 'IdempotencyRecorded', data: {}, metadata: metadata(acme) },
    ]);
    const claimedAt = await claim(env, acme, refund);
    await comment(env, globex, flag, 7);
    await comment(env, acme, refund, 3);

    startRelay(env);
    await caughtUp(env);
    let stored = await expectExactlyOnceInOrder(env);

    const claimed = stored.find((message) => message.envelope.eventType === 'TaskClaimed')!;
    expect(claimed.subject).toBe(`${env.subjectPrefix}.${acme}.TaskClaimed.refund.approval`);
    expect(claimed.envelope).toMatchObject({
      type: 'task.claimed',
      orgId: acme,
      taskId: refund,
      taskType: 'refund.approval',
      revision: 1,
      actor: 'service:test',
      data: { taskId: refund },
    });
    expect(claimed.envelope.position).toBe(claimedAt);
    expect(new Date(claimed.envelope.occurredAt).getTime()).not.toBeNaN();
    expect(
      stored.filter((message) =>
        message.subject.startsWith(`${env.subjectPrefix}.${globex}.TaskCommented.content-flag`),
      ),
    ).toHaveLength(7);

    // Live: events appended while the relay runs follow in order.
    const later = await createTask(env, acme, 'user.onboard');
    await claim(env, acme, later);
    await comment(env, globex, flag);
    await caughtUp(env);
    stored = await expectExactlyOnceInOrder(env);
    expect(stored.at(-1)!.envelope).toMatchObject({ type: 'task.commented', taskType: 'content-flag', revision: 8 });

    const info = await jsm.streams.info(env.streamName);
    expect(info.config).toMatchObject({
      subjects: [`${env.subjectPrefix}.>`],
      storage: 'file',
      retention: 'limits',
      duplicate_window: 120e9,
    });
  });

  it('loses nothing and duplicates nothing when killed after publishing but before storing its checkpoint', async () => {
    const env = await environment();
    const org = randomUUID();
    const tasks = [await createTask(env, org, 'refund.approval'), await createTask(env, org, 'user.onboard')];
    await claim(env, org, tasks[0]);
    await comment(env, org, tasks[1], 2);

    // Hold the checkpoint row so the relay's checkpoint write waits after the PubAcks are in.
    await env.pool.query('INSERT INTO projection_checkpoints (name) VALUES ($1)', [relayCheckpointName]);
    const blocker = new Client({ connectionString: env.database.url });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('SELECT 1 FROM projection_checkpoints WHERE name = $1 FOR UPDATE', [relayCheckpointName]);

    const first = startRelay(env, { batchSize: 100, retryMinMs: 60_000, retryMaxMs: 60_000 });
    // Registered after the relay, so it runs before the relay's stop, which would wait on the lock.
    cleanups.push(() => blocker.end());
    await waitFor(
      'the whole batch on JetStream',
      async () => (await jsm.streams.info(env.streamName).catch(() => null))?.state.messages === 5,
    );
    expect(await checkpoint(env)).toBeNull();

    // The crash: its database session dies mid-checkpoint, then the process is gone.
    const { rowCount } = await env.pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2`,
      [env.database.name, `taskinbox-${relayCheckpointName}`],
    );
    expect(rowCount).toBe(1);
    await first.relay.stop();
    await blocker.query('ROLLBACK');
    expect(await checkpoint(env)).toBeNull();

    // Events of tasks created before the restart: the new relay learns their type from their streams.
    await claim(env, org, tasks[1]);
    await comment(env, org, tasks[0]);

    startRelay(env);
    await caughtUp(env);
    const stored = await expectExactlyOnceInOrder(env);
    expect(stored).toHaveLength(7);
    expect(stored.slice(5).map((message) => [message.envelope.type, message.envelope.taskType])).toEqual([
      ['task.claimed', 'user.onboard'],
      ['task.commented', 'refund.approval'],
    ]);
  });

  it('reconnects when its NATS connection is closed and loses nothing', async () => {
    const env = await environment();
    const org = randomUUID();
    const running = startRelay(env);
    const task = await createTask(env, org, 'refund.approval');
    await caughtUp(env);

    const connected = () => running.connections.length > 0 && !running.connections.at(-1)!.isClosed();
    for (let round = 0; round < 4; round++) {
      await waitFor('an open NATS connection', connected);
      // Closed while a stream of events is being published.
      const appending = (async () => {
        for (let index = 0; index < 10; index++) await comment(env, org, task, 2);
      })();
      await new Promise((resolve) => setTimeout(resolve, 20));
      await running.connections.at(-1)!.close();
      await appending;
      await caughtUp(env);
    }
    await waitFor('a fifth connection', () => running.connections.length === 5 && connected());
    expect(running.relay.role).toBe('active');
    const stored = await expectExactlyOnceInOrder(env);
    expect(stored).toHaveLength(81);
    expect(stored.map((message) => message.envelope.revision)).toEqual(stored.map((_, index) => index));
  });

  it('keeps one active relay per database; a standby takes over when it stops', async () => {
    const env = await environment();
    const org = randomUUID();
    const task = await createTask(env, org, 'refund.approval');

    const first = startRelay(env);
    await waitFor('the first relay to become active', () => first.relay.role === 'active');
    const second = startRelay(env);
    await waitFor('the second relay to stand by', () => second.relay.role === 'standby');
    await comment(env, org, task, 6);
    await caughtUp(env);
    expect(second.connections).toHaveLength(0);

    await first.relay.stop();
    await waitFor('the standby to take over', () => second.relay.role === 'active');
    await comment(env, org, task, 6);
    await caughtUp(env);
    expect(await expectExactlyOnceInOrder(env)).toHaveLength(13);
  });

  it('waits while NATS is unreachable and relays once it is back', async () => {
    const env = await environment();
    const org = randomUUID();
    await createTask(env, org, 'refund.approval');
    let reachable = false;
    const attempts: number[] = [];
    // The pauses the relay chose, from its own warnings: wall-clock gaps alone also hold each
    // failed dial and lease, which a loaded machine stretches (CI once saw 345 ms, then 300 ms).
    const pauses: number[] = [];
    const relay = new RelayService(
      {
        store: env.store,
        pool: env.pool,
        logger: createLogger('warn', {
          write: (line: string) => {
            const { retryInMs } = JSON.parse(line) as { retryInMs?: number };
            if (retryInMs !== undefined) pauses.push(retryInMs);
          },
        }),
        connectNats: () => {
          attempts.push(Date.now());
          return connectNats(reachable ? nats : { ...nats, url: 'nats://127.0.0.1:1' }, 'relay-under-test');
        },
      },
      { prefix: env.prefix, retryMinMs: 50, retryMaxMs: 400 },
    );
    relay.start();
    cleanups.push(() => relay.stop());

    await waitFor('a few failed attempts', () => attempts.length >= 4);
    expect(await checkpoint(env)).toBeNull();
    // Backing off: the pauses double (50, 100, 200 ms, each ±20%), and the relay really waits them.
    expect(pauses[1]).toBeGreaterThan(pauses[0]);
    expect(pauses[2]).toBeGreaterThan(pauses[1]);
    expect(pauses[2]).toBeGreaterThanOrEqual(160);
    const gaps = attempts.slice(1).map((at, index) => at - attempts[index]);
    for (const [index, gap] of gaps.slice(0, 3).entries()) expect(gap).toBeGreaterThanOrEqual(pauses[index] - 2);

    reachable = true;
    await caughtUp(env);
    await expectExactlyOnceInOrder(env);
  });
});
