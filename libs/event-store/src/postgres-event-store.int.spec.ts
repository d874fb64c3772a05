import { Client, Pool } from 'pg';
import { createTestDatabase, type TestDatabase } from '@taskinbox/testing';
import { type AppendResult, WrongExpectedRevisionError } from './event-store';
import { collector, describeEventStoreContract, newEvent, newStream, waitFor } from './event-store.contract';
import { PostgresEventStore } from './postgres-event-store';

describeEventStoreContract('PostgreSQL', async () => {
  const database = await createTestDatabase('es');
  const store = new PostgresEventStore(database.url);
  return {
    store,
    cleanup: async () => {
      await store.close();
      await database.drop();
    },
  };
});

// Commit order, gaps and wake-ups, driven by raw connections that hold transactions open.
describe('PostgresEventStore', () => {
  jest.setTimeout(20_000);
  let database: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  const clients: Client[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('es');
    pool = new Pool({ connectionString: database.url, max: 10 });
    // pool.end() resolves before its backends exit; the forced DROP in afterAll may still kill one.
    pool.on('error', () => undefined);
    // A short fallback poll: raw appends below send no NOTIFY.
    store = new PostgresEventStore({ pool, pollIntervalMs: 100 });
  });
  afterAll(async () => {
    await store.close();
    await Promise.all(clients.map((client) => client.end()));
    await pool.end();
    await database.drop();
  });

  const connect = async (): Promise<Client> => {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    clients.push(client);
    return client;
  };

  /** es_append_batch inside the client's current transaction; returns the position it took. */
  const rawAppend = async (client: Client, stream: string, id: string): Promise<string> => {
    const { rows } = await client.query<{ last_position: string }>(
      `SELECT last_position FROM es_append_batch(ARRAY[$1], ARRAY[-2], ARRAY[1], $2::uuid[], ARRAY['RawAppended'], ARRAY['{}']::jsonb[], ARRAY['{}']::jsonb[])`,
      [stream, [id]],
    );
    return rows[0].last_position;
  };

  const marker = async (): Promise<string> => (await store.appendToStream(newStream(), [newEvent('Marker')])).position;
  const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

  it('delivers a transaction that took an earlier position but committed later, without skipping it', async () => {
    const start = await marker();
    const [early, late] = [newStream(), newStream()];
    const seen = collector([early, late]);
    const subscription = store.subscribeToAll(seen.handler, { after: start });
    try {
      await subscription.caughtUp;
      const [t1, t2] = [await connect(), await connect()];
      await t1.query('BEGIN');
      const earlyEvent = newEvent();
      const earlyPosition = await rawAppend(t1, early, earlyEvent.id);
      await t2.query('BEGIN');
      const lateEvent = newEvent();
      const latePosition = await rawAppend(t2, late, lateEvent.id);
      await t2.query('COMMIT');
      expect(earlyPosition < latePosition).toBe(true);

      // T2 is committed, but T1 could still add rows before it: nothing may be delivered yet.
      await pause(500);
      expect(seen.events).toEqual([]);
      expect((await store.readAll({ after: start })).filter((event) => event.streamId === late)).toEqual([]);

      await t1.query('COMMIT');
      await waitFor(() => seen.events.length === 2);
      expect(seen.events.map((event) => [event.id, event.position])).toEqual([
        [earlyEvent.id, earlyPosition],
        [lateEvent.id, latePosition],
      ]);
    } finally {
      await subscription.close();
    }
  });

  it('does not stall on the gap a rolled-back append leaves', async () => {
    const start = await marker();
    const stream = newStream();
    const seen = collector([stream]);
    const subscription = store.subscribeToAll(seen.handler, { after: start });
    try {
      await subscription.caughtUp;
      const client = await connect();
      await client.query('BEGIN');
      const rolledBack = await rawAppend(client, stream, newEvent().id);
      await client.query('ROLLBACK');

      const kept = newEvent();
      const result = await store.appendToStream(stream, [kept], { expectedRevision: 'no_stream' });
      await waitFor(() => seen.events.length === 1);
      expect(seen.events[0]).toMatchObject({ id: kept.id, revision: 0n, position: result.position });
      expect(rolledBack.split(':')[1] < result.position.split(':')[1]).toBe(true);
      expect((await store.readAll({ after: start })).some((event) => event.position === rolledBack)).toBe(false);
    } finally {
      await subscription.close();
    }
  });

  it('holds delivery back while an older transaction writes, then delivers everything', async () => {
    const start = await marker();
    const [open, committed] = [newStream(), newStream()];
    const seen = collector([open, committed]);
    const subscription = store.subscribeToAll(seen.handler, { after: start });
    try {
      await subscription.caughtUp;
      const client = await connect();
      await client.query('BEGIN');
      const openEvent = newEvent();
      await rawAppend(client, open, openEvent.id);

      const committedEvent = newEvent();
      await store.appendToStream(committed, [committedEvent]);
      await pause(500);
      expect(seen.events).toEqual([]);

      await client.query('COMMIT');
      await waitFor(() => seen.events.length === 2);
      expect(seen.events.map((event) => event.id)).toEqual([openEvent.id, committedEvent.id]);
    } finally {
      await subscription.close();
    }
  });

  it('is not held back by a transaction open in another database of the same server', async () => {
    const start = await marker();
    const stream = newStream();
    const seen = collector([stream]);
    // Another application on a shared PostgreSQL, in the middle of a long transaction.
    const elsewhere = new URL(database.url);
    elsewhere.pathname = '/postgres';
    const other = new Client({ connectionString: elsewhere.toString() });
    await other.connect();
    const subscription = store.subscribeToAll(seen.handler, { after: start });
    try {
      await other.query('BEGIN');
      await other.query('SELECT pg_current_xact_id()');
      await subscription.caughtUp;
      const event = newEvent();
      await store.appendToStream(stream, [event]);
      await waitFor(() => seen.events.length === 1, 5_000);
      expect(seen.events.map((seenEvent) => seenEvent.id)).toEqual([event.id]);
    } finally {
      await subscription.close();
      await other.query('ROLLBACK');
      await other.end();
    }
  });

  it('wakes a subscriber when another store instance appends (NOTIFY), well before the fallback poll', async () => {
    // A 10 s fallback poll, so a fast delivery can only come from the notification. The median
    // of three rounds tolerates one round slowed by a loaded machine.
    const listening = new PostgresEventStore({ pool, pollIntervalMs: 10_000 });
    const appending = new PostgresEventStore(database.url);
    const stream = newStream();
    const seen = collector([stream]);
    const subscription = listening.subscribeToAll(seen.handler, { after: await marker() });
    const latencies: number[] = [];
    try {
      await subscription.caughtUp;
      for (let round = 1; round <= 3; round++) {
        const appended = Date.now();
        await appending.appendToStream(stream, [newEvent()]);
        await waitFor(() => seen.events.length === round, 12_000);
        latencies.push(Date.now() - appended);
      }
    } finally {
      await listening.close();
      await appending.close();
    }
    expect(latencies.sort((a, b) => a - b)[1]).toBeLessThan(500);
    await expect(subscription.done).resolves.toBeUndefined();
  });

  it('resolves concurrent duplicates of one append to the same result', async () => {
    for (const expectedRevision of ['any', 'no_stream', 'stream_exists'] as const) {
      const stream = newStream();
      if (expectedRevision === 'stream_exists') await store.appendToStream(stream, [newEvent()]);
      const events = [newEvent(), newEvent()];
      const results = await Promise.all(
        Array.from({ length: 6 }, () => store.appendToStream(stream, events, { expectedRevision })),
      );
      expect(new Set(results.map((result) => `${result.nextExpectedRevision}@${result.position}`)).size).toBe(1);
      await expect(store.readStream(stream)).resolves.toHaveLength(expectedRevision === 'stream_exists' ? 3 : 2);
    }
  });

  const txOf = (position: string): string => position.split(':')[0];
  // Two appends fill the flush slots (maxFlushes), so the appends queued behind them share the next flush.
  const fillFlushSlots = (): Promise<AppendResult>[] =>
    [0, 1].map(() => store.appendToStream(newStream(), [newEvent()]));

  it('still commits a lone append', async () => {
    const stream = newStream();
    const result = await store.appendToStream(stream, [newEvent()], { expectedRevision: 'no_stream' });
    expect(result.nextExpectedRevision).toBe(0n);
    await expect(store.readStream(stream)).resolves.toMatchObject([{ revision: 0n, position: result.position }]);
  });

  it("commits queued appends together, one stream's appends in queue order", async () => {
    const stream = newStream();
    const [first, second] = [newEvent(), newEvent()];
    const [, , a, b, other] = await Promise.all([
      ...fillFlushSlots(),
      store.appendToStream(stream, [first]),
      store.appendToStream(stream, [second], { expectedRevision: 0n }),
      store.appendToStream(newStream(), [newEvent()], { expectedRevision: 'no_stream' }),
    ]);
    expect(new Set([a, b, other].map((result) => txOf(result.position))).size).toBe(1);
    expect([a.nextExpectedRevision, b.nextExpectedRevision]).toEqual([0n, 1n]);
    expect((await store.readStream(stream)).map((event) => event.id)).toEqual([first.id, second.id]);
  });

  it('fails only the append the database refuses when a batch fails, committing the others', async () => {
    const used = newEvent();
    await store.appendToStream(newStream(), [used]);
    const valid = [newStream(), newStream(), newStream()];
    const [, , ...outcomes] = await Promise.all([
      ...fillFlushSlots(),
      ...valid.map((stream) => store.appendToStream(stream, [newEvent()], { expectedRevision: 'no_stream' })),
      store.appendToStream(newStream(), [used]).catch((caught: unknown) => caught),
    ]);
    expect(outcomes.slice(0, 3)).toEqual(valid.map(() => expect.objectContaining({ nextExpectedRevision: 0n })));
    expect(outcomes[3]).toMatchObject({ code: '23505', constraint: 'es_events_event_id_key' });
    const lengths = await Promise.all(valid.map(async (stream) => (await store.readStream(stream)).length));
    expect(lengths).toEqual([1, 1, 1]);
  });

  it('commits a batch of new streams together: several events in revision order, a retry, a stream that exists', async () => {
    const existing = newStream();
    await store.appendToStream(existing, [newEvent(), newEvent()]);
    const retried = newStream();
    const retriedEvents = [newEvent()];
    const original = await store.appendToStream(retried, retriedEvents, { expectedRevision: 'no_stream' });
    const [several, single] = [newStream(), newStream()];
    const severalEvents = [newEvent(), newEvent(), newEvent()];
    // The flush slot of the appends above frees only after they resolved.
    await new Promise((resolve) => setImmediate(resolve));
    // Queued behind the full flush slots, in this order: one flush takes them all.
    const slots = fillFlushSlots();
    const queued = Promise.all([
      store.appendToStream(several, severalEvents, { expectedRevision: 'no_stream' }),
      store.appendToStream(single, [newEvent()], { expectedRevision: 'no_stream' }),
      store.appendToStream(retried, retriedEvents, { expectedRevision: 'no_stream' }),
    ]);
    const refused = store.appendToStream(existing, [newEvent()], { expectedRevision: 'no_stream' }).catch((caught: unknown) => caught);
    await Promise.all(slots);
    const [many, one, retry] = await queued;
    const conflict = await refused;
    expect(txOf(many.position)).toBe(txOf(one.position));
    expect(many.nextExpectedRevision).toBe(2n);
    expect(one.nextExpectedRevision).toBe(0n);
    expect(retry).toEqual(original);
    expect(conflict).toBeInstanceOf(WrongExpectedRevisionError);
    expect(conflict).toMatchObject({ actual: 1n });
    const written = await store.readStream(several);
    expect(written.map((event) => [event.id, event.revision])).toEqual(severalEvents.map((event, index) => [event.id, BigInt(index)]));
    expect(written.map((event) => event.position)).toEqual([...written.map((event) => event.position)].sort());
    expect(written.at(-1)?.position).toBe(many.position);
    await expect(store.readStream(existing)).resolves.toHaveLength(2);
    await expect(store.readStream(retried)).resolves.toHaveLength(1);
  });

  it('refuses event ids already used in another stream', async () => {
    const event = newEvent();
    await store.appendToStream(newStream(), [event]);
    const error = await store.appendToStream(newStream(), [event]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(WrongExpectedRevisionError);
    expect(error).toMatchObject({ code: '23505', constraint: 'es_events_event_id_key' });
  });

  it('records the stream category (the id up to the first dash)', async () => {
    const stream = `task-${newEvent().id}`;
    await store.appendToStream(stream, [newEvent()]);
    const { rows } = await pool.query('SELECT stream_type, revision::int FROM es_streams WHERE stream_id = $1', [
      stream,
    ]);
    expect(rows).toEqual([{ stream_type: 'task', revision: 0 }]);
  });
});
