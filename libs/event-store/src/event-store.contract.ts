import { randomBytes, randomUUID } from 'node:crypto';
import {
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type ReadAllOptions,
  type RecordedEvent,
  WrongExpectedRevisionError,
} from './event-store';

// The behaviour every adapter must share. Each test uses fresh stream ids and looks at the log
// only after a marker it appended itself, so the suite also runs against a shared server.
// The log may show a commit late (PostgreSQL waits for older transactions anywhere in the
// cluster), so tests wait for events to appear instead of expecting them on the first read.

export const newStream = (): string => `contract-${randomUUID()}`;

export const newEvent = (type = 'ContractTested', data: unknown = { value: randomUUID() }): EventToAppend => ({
  id: randomUUID(),
  type,
  data,
  metadata: { orgId: 'org-contract', actor: 'user:contract', correlationId: randomUUID() },
});

export async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Collects what a subscription delivers, keeping only events of the given streams. */
export function collector(streams: string[]): {
  handler: (events: RecordedEvent[]) => Promise<void>;
  events: RecordedEvent[];
  batches: RecordedEvent[][];
} {
  const events: RecordedEvent[] = [];
  const batches: RecordedEvent[][] = [];
  return {
    events,
    batches,
    handler: async (batch) => {
      batches.push(batch);
      events.push(...batch.filter((event) => streams.includes(event.streamId)));
    },
  };
}

const ids = (events: { id: string }[]): string[] => events.map((event) => event.id);

async function readAllUntil(
  store: EventStore,
  options: ReadAllOptions,
  done: (events: RecordedEvent[]) => boolean,
): Promise<RecordedEvent[]> {
  let events: RecordedEvent[] = [];
  const deadline = Date.now() + 10_000;
  while (!done((events = await store.readAll(options)))) {
    if (Date.now() > deadline) return events;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return events;
}

interface MatrixCase {
  existing: number;
  expected: ExpectedRevision;
  outcome: { next: bigint } | { actual: bigint | 'no_stream' };
}

const matrix: MatrixCase[] = [
  { existing: 0, expected: 'any', outcome: { next: 0n } },
  { existing: 0, expected: 'no_stream', outcome: { next: 0n } },
  { existing: 0, expected: 'stream_exists', outcome: { actual: 'no_stream' } },
  { existing: 0, expected: 0n, outcome: { actual: 'no_stream' } },
  { existing: 1, expected: 'any', outcome: { next: 1n } },
  { existing: 1, expected: 'no_stream', outcome: { actual: 0n } },
  { existing: 1, expected: 'stream_exists', outcome: { next: 1n } },
  { existing: 1, expected: 0n, outcome: { next: 1n } },
  { existing: 1, expected: 1n, outcome: { actual: 0n } },
  { existing: 3, expected: 'any', outcome: { next: 3n } },
  { existing: 3, expected: 'no_stream', outcome: { actual: 2n } },
  { existing: 3, expected: 'stream_exists', outcome: { next: 3n } },
  { existing: 3, expected: 2n, outcome: { next: 3n } },
  { existing: 3, expected: 1n, outcome: { actual: 2n } },
  { existing: 3, expected: 3n, outcome: { actual: 2n } },
];

const retryCases: { title: string; existing: number; expected: ExpectedRevision }[] = [
  { title: "'no_stream' on a new stream", existing: 0, expected: 'no_stream' },
  { title: "'any' on a new stream", existing: 0, expected: 'any' },
  { title: "'any' on an existing stream", existing: 1, expected: 'any' },
  { title: "'stream_exists'", existing: 1, expected: 'stream_exists' },
  { title: 'an exact revision', existing: 1, expected: 0n },
];

export function describeEventStoreContract(
  name: string,
  makeStore: () => Promise<{ store: EventStore; cleanup: () => Promise<void> }>,
): void {
  describe(`${name} event store contract`, () => {
    jest.setTimeout(20_000);
    let store: EventStore;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      ({ store, cleanup } = await makeStore());
    });
    afterAll(() => cleanup());

    const seed = async (count: number): Promise<string> => {
      const stream = newStream();
      if (count > 0) {
        await store.appendToStream(
          stream,
          Array.from({ length: count }, () => newEvent()),
          { expectedRevision: 'no_stream' },
        );
      }
      return stream;
    };
    const marker = async (): Promise<string> =>
      (await store.appendToStream(newStream(), [newEvent('ContractMarker')])).position;

    describe('append and read', () => {
      it('reads back what was appended, with 0-based revisions and the append position', async () => {
        const stream = newStream();
        const events = [newEvent('First', { n: 1, nested: { list: [1, 'two'] } }), newEvent('Second', { n: 2 })];
        const result = await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });

        expect(result.nextExpectedRevision).toBe(1n);
        expect(result.position).toMatch(/^\d{20}:\d{20}$/);
        const read = await store.readStream(stream);
        expect(
          read.map(({ id, type, streamId, revision, data, metadata }) => ({
            id,
            type,
            streamId,
            revision,
            data,
            metadata,
          })),
        ).toEqual([
          { ...events[0], streamId: stream, revision: 0n },
          { ...events[1], streamId: stream, revision: 1n },
        ]);
        expect(read[0].position < read[1].position).toBe(true);
        expect(read[1].position).toBe(result.position);
        expect(read[0].createdAt).toBeInstanceOf(Date);
      });

      it('reads a stream from a revision, up to a count', async () => {
        const stream = await seed(5);
        const read = await store.readStream(stream, { fromRevision: 1n, maxCount: 3 });
        expect(read.map((event) => event.revision)).toEqual([1n, 2n, 3n]);
      });

      it('reads a missing stream as empty', async () => {
        await expect(store.readStream(newStream())).resolves.toEqual([]);
      });

      it('refuses an empty append and a negative revision', async () => {
        await expect(store.appendToStream(newStream(), [])).rejects.toThrow(RangeError);
        await expect(store.appendToStream(newStream(), [newEvent()], { expectedRevision: -1n })).rejects.toThrow(
          RangeError,
        );
      });
    });

    describe('deleteStream', () => {
      it('removes a stream from reads, lets its id start again, and ignores a missing one', async () => {
        const stream = await seed(3);
        const kept = await seed(1);
        await store.deleteStream(stream);
        await expect(store.readStream(stream)).resolves.toEqual([]);
        const everything = await store.readAll({ maxCount: 100_000 });
        expect(everything.some((event) => event.streamId === stream)).toBe(false);
        expect(await store.readStream(kept)).toHaveLength(1);
        const again = await store.appendToStream(stream, [newEvent()], { expectedRevision: 'no_stream' });
        expect(again.nextExpectedRevision).toBe(0n);
        await expect(store.deleteStream(newStream())).resolves.toBeUndefined();
      });
    });

    describe('expected revision', () => {
      it.each(matrix.map((row) => ({ ...row, title: `${row.existing} event(s), expected ${String(row.expected)}` })))(
        '$title',
        async ({ existing, expected, outcome }) => {
          const stream = await seed(existing);
          const event = newEvent();
          const append = store.appendToStream(stream, [event], { expectedRevision: expected });

          if ('next' in outcome) {
            await expect(append).resolves.toMatchObject({ nextExpectedRevision: outcome.next });
            const read = await store.readStream(stream);
            expect(read).toHaveLength(existing + 1);
            expect(read[existing]).toMatchObject({ id: event.id, revision: outcome.next });
          } else {
            const error = await append.then(
              () => undefined,
              (caught: unknown) => caught,
            );
            expect(error).toBeInstanceOf(WrongExpectedRevisionError);
            expect(error).toMatchObject({
              code: 'wrong_expected_revision',
              streamId: stream,
              expected,
              actual: outcome.actual,
            });
            await expect(store.readStream(stream)).resolves.toHaveLength(existing);
          }
        },
      );
    });

    describe('idempotent retry', () => {
      it.each(retryCases)(
        'appending the same ids again with $title returns the original result',
        async ({ existing, expected }) => {
          const stream = await seed(existing);
          const events = [newEvent(), newEvent()];
          const first = await store.appendToStream(stream, events, { expectedRevision: expected });
          const again = await store.appendToStream(stream, events, { expectedRevision: expected });

          expect(again).toEqual(first);
          expect(first.nextExpectedRevision).toBe(BigInt(existing + 1));
          await expect(store.readStream(stream)).resolves.toHaveLength(existing + 2);
        },
      );

      it('returns the original result even after later appends', async () => {
        const stream = await seed(1);
        const event = newEvent();
        const first = await store.appendToStream(stream, [event], { expectedRevision: 0n });
        await store.appendToStream(stream, [newEvent()], { expectedRevision: 1n });

        await expect(store.appendToStream(stream, [event], { expectedRevision: 0n })).resolves.toEqual(first);
        expect(ids(await store.readStream(stream))).toHaveLength(3);
      });

      it('treats the same ids at another expected revision as a conflict', async () => {
        const stream = await seed(1);
        const event = newEvent();
        await store.appendToStream(stream, [event], { expectedRevision: 0n });

        await expect(store.appendToStream(stream, [event], { expectedRevision: 5n })).rejects.toMatchObject({
          actual: 1n,
        });
      });
    });

    // A store may commit concurrent appends together; each must still behave as if alone.
    describe('concurrent appends', () => {
      const settle = (error: unknown): unknown => error;

      it('all succeed on distinct streams, each at its own revision', async () => {
        const seeded = await Promise.all(Array.from({ length: 20 }, () => seed(2)));
        const fresh = Array.from({ length: 20 }, () => newStream());
        const results = await Promise.all([
          ...seeded.map((stream) => store.appendToStream(stream, [newEvent()], { expectedRevision: 1n })),
          ...fresh.map((stream) =>
            store.appendToStream(stream, [newEvent(), newEvent()], { expectedRevision: 'no_stream' }),
          ),
        ]);
        expect(results.map((result) => result.nextExpectedRevision)).toEqual([
          ...seeded.map(() => 2n),
          ...fresh.map(() => 1n),
        ]);
        expect(new Set(results.map((result) => result.position)).size).toBe(40);
        const lengths = await Promise.all(
          [...seeded, ...fresh].map(async (stream) => (await store.readStream(stream)).length),
        );
        expect(lengths).toEqual([...seeded.map(() => 3), ...fresh.map(() => 2)]);
      });

      it('lets exactly one of several appends at the same expected revision win', async () => {
        const stream = await seed(1);
        const outcomes = await Promise.all(
          Array.from({ length: 8 }, () =>
            store.appendToStream(stream, [newEvent()], { expectedRevision: 0n }).catch(settle),
          ),
        );
        const winners = outcomes.filter((outcome) => !(outcome instanceof Error));
        expect(winners).toEqual([expect.objectContaining({ nextExpectedRevision: 1n })]);
        const losers = outcomes.filter((outcome) => outcome instanceof Error);
        expect(losers).toHaveLength(7);
        for (const loser of losers) {
          expect(loser).toBeInstanceOf(WrongExpectedRevisionError);
          expect(loser).toMatchObject({ streamId: stream, expected: 0n, actual: 1n });
        }
        await expect(store.readStream(stream)).resolves.toHaveLength(2);
      });

      it('lets valid appends succeed beside a conflicting one', async () => {
        const conflicted = await seed(2);
        const valid = Array.from({ length: 6 }, () => newStream());
        const [conflict, ...results] = await Promise.all([
          store.appendToStream(conflicted, [newEvent()], { expectedRevision: 0n }).catch(settle),
          ...valid.map((stream) => store.appendToStream(stream, [newEvent()], { expectedRevision: 'no_stream' })),
        ]);
        expect(conflict).toMatchObject({ streamId: conflicted, actual: 1n });
        expect(results.map((result) => result.nextExpectedRevision)).toEqual(valid.map(() => 0n));
        await expect(store.readStream(conflicted)).resolves.toHaveLength(2);
      });

      it('returns one result to concurrent retries of an append among others', async () => {
        const stream = await seed(1);
        const events = [newEvent(), newEvent()];
        const [first, ...rest] = await Promise.all([
          store.appendToStream(stream, events, { expectedRevision: 0n }),
          store.appendToStream(newStream(), [newEvent()]),
          store.appendToStream(stream, events, { expectedRevision: 0n }),
          store.appendToStream(newStream(), [newEvent()]),
          store.appendToStream(stream, events, { expectedRevision: 0n }),
        ]);
        expect(first.nextExpectedRevision).toBe(2n);
        expect(rest[1]).toEqual(first);
        expect(rest[3]).toEqual(first);
        expect(ids(await store.readStream(stream)).slice(1)).toEqual(ids(events));
      });
    });

    describe('readAll', () => {
      it('returns events after a position (exclusive) in log order', async () => {
        const start = await marker();
        const [a, b] = [newStream(), newStream()];
        const e1 = newEvent();
        const [e2, e3] = [newEvent(), newEvent()];
        const e4 = newEvent();
        await store.appendToStream(a, [e1]);
        await store.appendToStream(b, [e2, e3]);
        const last = await store.appendToStream(a, [e4]);

        const isOurs = (event: RecordedEvent): boolean => event.streamId === a || event.streamId === b;
        const all = await readAllUntil(store, { after: start }, (events) => events.filter(isOurs).length >= 4);
        expect(all.every((event) => event.position > start)).toBe(true);
        const ours = all.filter(isOurs);
        expect(ids(ours)).toEqual(ids([e1, e2, e3, e4]));
        expect(ours.map((event) => event.position)).toEqual([...ours.map((event) => event.position)].sort());
        expect(new Set(ours.map((event) => event.position)).size).toBe(4);
        expect(ours[3].position).toBe(last.position);

        const page = await store.readAll({ after: ours[1].position, maxCount: 2 });
        expect(page).toHaveLength(2);
        expect(page[0].id).toBe(e3.id);
        expect(page.every((event) => event.position > ours[1].position)).toBe(true);
      });

      it('stops before maxBytes of events, but always returns the first event however large', async () => {
        const start = await marker();
        const stream = newStream();
        // Random text (about 40 kB each): no store can compress it much.
        const large = (): EventToAppend => newEvent('ContractLarge', { text: randomBytes(30_000).toString('base64') });
        await store.appendToStream(stream, [large(), large(), large()], { expectedRevision: 'no_stream' });
        const isOurs = (event: RecordedEvent): boolean => event.streamId === stream;
        const all = await readAllUntil(store, { after: start }, (events) => events.filter(isOurs).length === 3);
        const first = all.findIndex(isOurs);
        const after = first === 0 ? start : all[first - 1].position;

        expect((await store.readAll({ after, maxBytes: 1 })).map((event) => event.revision)).toEqual([0n]);
        expect((await store.readAll({ after, maxBytes: 100_000 })).map((event) => event.revision)).toEqual([0n, 1n]);
        expect(await store.readAll({ after, maxBytes: 100_000, maxCount: 1 })).toHaveLength(1);
      });

      it('reads the same events without their metadata and time, by count and by bytes', async () => {
        const start = await marker();
        const stream = newStream();
        await store.appendToStream(stream, [newEvent(), newEvent(), newEvent()], { expectedRevision: 'no_stream' });
        const all = await readAllUntil(store, { after: start }, (events) => events.filter((event) => event.streamId === stream).length === 3);
        const lean = ({ id, type, streamId, revision, position, data }: RecordedEvent) => ({ id, type, streamId, revision, position, data });

        expect(await store.readAllWithoutMetadata({ after: start, maxCount: all.length })).toEqual(all.map(lean));
        const [first] = await store.readAllWithoutMetadata({ after: start, maxBytes: 1 });
        expect(first).toEqual(lean(all[0]));
        expect(first).not.toHaveProperty('metadata');
      });

      it('starts at the beginning of the log without a position', async () => {
        const stream = await seed(1);
        const all = await readAllUntil(store, {}, (events) => events.some((event) => event.streamId === stream));
        expect(all.some((event) => event.streamId === stream)).toBe(true);
      });
    });

    describe('countAfter', () => {
      it('counts what readAll would return after a position, up to a cap, with the first event\'s time', async () => {
        const start = await marker();
        const stream = newStream();
        await store.appendToStream(stream, [newEvent(), newEvent(), newEvent()], { expectedRevision: 'no_stream' });
        const all = await readAllUntil(store, { after: start }, (events) => events.filter((event) => event.streamId === stream).length === 3);
        const last = all.filter((event) => event.streamId === stream)[2].position;

        // Other tests' appends may land after ours, so the counts are checked against readAll's.
        const tail = await store.countAfter(start, 1_000);
        const read = await store.readAll({ after: start, maxCount: 1_001 });
        expect(tail.events).toBeGreaterThanOrEqual(3);
        expect(tail.events).toBe(read.length);
        expect(tail.firstRecordedAt?.getTime()).toBe(read[0].createdAt.getTime());
        expect(await store.countAfter(start, 1)).toMatchObject({ events: 2 });
        expect((await store.countAfter(undefined, 2)).events).toBe(3);

        const afterLast = await store.countAfter(last, 1_000);
        expect(afterLast.events).toBe((await store.readAll({ after: last, maxCount: 1_001 })).length);
        if (afterLast.events === 0) expect(afterLast.firstRecordedAt).toBeUndefined();
      });
    });

    describe('lastPosition', () => {
      it('is the position of a committed event, at or past every event readAll has shown', async () => {
        const start = await marker();
        const stream = newStream();
        await store.appendToStream(stream, [newEvent(), newEvent()], { expectedRevision: 'no_stream' });
        const shown = await readAllUntil(store, { after: start }, (events) => events.filter((event) => event.streamId === stream).length === 2);
        const second = shown.filter((event) => event.streamId === stream)[1].position;

        // Other tests' appends may land after ours, so the last position is at or past our second
        // event, and it is the position of an event of the log (readAll shows it once older
        // transactions have ended), not past it.
        const last = await store.lastPosition();
        expect(last).toBeDefined();
        expect(last! >= second).toBe(true);
        const read = await readAllUntil(store, { after: start, maxCount: 100_000 }, (events) => events.some((event) => event.position >= last!));
        expect(read.some((event) => event.position === last)).toBe(true);

        await store.appendToStream(stream, [newEvent()], { expectedRevision: 1n });
        const third = (await readAllUntil(store, { after: second }, (events) => events.some((event) => event.streamId === stream))).find(
          (event) => event.streamId === stream,
        )!.position;
        expect((await store.lastPosition())! >= third).toBe(true);
      });
    });

    describe('subscribeToAll', () => {
      it('catches up in batches, then follows live appends', async () => {
        const start = await marker();
        const stream = await seed(3);
        const seen = collector([stream]);
        const subscription = store.subscribeToAll(seen.handler, { after: start, batchSize: 2 });
        try {
          await subscription.caughtUp;
          await waitFor(() => seen.events.length === 3);
          expect(seen.events.map((event) => event.revision)).toEqual([0n, 1n, 2n]);
          expect(seen.batches.some((batch) => batch.length === 2)).toBe(true);
          expect(seen.batches.every((batch) => batch.length >= 1 && batch.length <= 2)).toBe(true);

          await store.appendToStream(stream, [newEvent(), newEvent()], { expectedRevision: 2n });
          await waitFor(() => seen.events.length === 5);
          expect(seen.events.map((event) => event.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
        } finally {
          await subscription.close();
        }
        await expect(subscription.done).resolves.toBeUndefined();
      });

      it('while following live, hands appends made within liveReadIntervalMs of a read over in one batch', async () => {
        const start = await marker();
        const stream = newStream();
        const seen = collector([stream]);
        const subscription = store.subscribeToAll(seen.handler, { after: start, liveReadIntervalMs: 3000 });
        try {
          await subscription.caughtUp;
          await store.appendToStream(stream, [newEvent()], { expectedRevision: 'no_stream' });
          await waitFor(() => seen.events.length === 1);
          // Apart: without the interval each would be read on its own.
          for (const revision of [0n, 1n, 2n]) {
            await store.appendToStream(stream, [newEvent()], { expectedRevision: revision });
            await new Promise((resolve) => setTimeout(resolve, 200));
          }
          await waitFor(() => seen.events.length === 4);
          const ours = seen.batches.map((batch) => batch.filter((event) => event.streamId === stream).length).filter((length) => length > 0);
          expect(ours).toEqual([1, 3]);
        } finally {
          await subscription.close();
        }
        expect(() => store.subscribeToAll(seen.handler, { liveReadIntervalMs: -1 })).toThrow(RangeError);
      });

      it('bounds batches by batchBytes, a larger event coming alone', async () => {
        const start = await marker();
        const stream = newStream();
        const sized = (length: number): EventToAppend => newEvent('ContractSized', { text: randomBytes(length).toString('base64') });
        // About 40 kB, 4 kB, 4 kB, 40 kB, 4 kB of data.
        await store.appendToStream(stream, [sized(30_000), sized(3_000), sized(3_000), sized(30_000), sized(3_000)], {
          expectedRevision: 'no_stream',
        });
        const seen = collector([stream]);
        const subscription = store.subscribeToAll(seen.handler, { after: start, batchSize: 100, batchBytes: 20_000 });
        try {
          await waitFor(() => seen.events.length === 5);
          const ours = seen.batches
            .map((batch) => batch.filter((event) => event.streamId === stream).map((event) => Number(event.revision)))
            .filter((batch) => batch.length > 0);
          expect(ours).toEqual([[0], [1, 2], [3], [4]]);
        } finally {
          await subscription.close();
        }
        expect(() => store.subscribeToAll(seen.handler, { batchBytes: 0 })).toThrow(RangeError);
      });

      it('starts at the beginning of the log without a position', async () => {
        const stream = await seed(1);
        const seen = collector([stream]);
        const subscription = store.subscribeToAll(seen.handler, { batchSize: 500 });
        try {
          await subscription.caughtUp;
          await waitFor(() => seen.events.length === 1);
        } finally {
          await subscription.close();
        }
      });

      it('awaits each handler call before reading on', async () => {
        const start = await marker();
        const stream = await seed(4);
        let running = 0;
        let mostAtOnce = 0;
        const delivered: bigint[] = [];
        const subscription = store.subscribeToAll(
          async (events) => {
            running++;
            mostAtOnce = Math.max(mostAtOnce, running);
            await new Promise((resolve) => setTimeout(resolve, 30));
            delivered.push(...events.filter((event) => event.streamId === stream).map((event) => event.revision));
            running--;
          },
          { after: start, batchSize: 1 },
        );
        try {
          await waitFor(() => delivered.length === 4);
          expect(delivered).toEqual([0n, 1n, 2n, 3n]);
          expect(mostAtOnce).toBe(1);
        } finally {
          await subscription.close();
        }
      });

      it('close() waits for the running handler and stops delivery', async () => {
        const start = await marker();
        const stream = await seed(2);
        let release!: () => void;
        const released = new Promise<void>((resolve) => (release = resolve));
        let calls = 0;
        const subscription = store.subscribeToAll(
          async () => {
            calls++;
            await released;
          },
          { after: start, batchSize: 1 },
        );
        await waitFor(() => calls === 1);

        let closed = false;
        const closing = subscription.close().then(() => (closed = true));
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(closed).toBe(false);
        release();
        await closing;
        await store.appendToStream(stream, [newEvent()], { expectedRevision: 1n });
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(calls).toBe(1);
        await expect(subscription.done).resolves.toBeUndefined();
      });

      it('rejects done and stops when the handler fails', async () => {
        const start = await marker();
        await seed(3);
        let calls = 0;
        const subscription = store.subscribeToAll(
          async () => {
            calls++;
            throw new Error('handler failed');
          },
          { after: start, batchSize: 1 },
        );
        await expect(subscription.done).rejects.toThrow('handler failed');
        expect(calls).toBe(1);
        await subscription.close();
      });

      it('rejects caughtUp and done when reading fails before catching up', async () => {
        const subscription = store.subscribeToAll(async () => undefined, { after: 'not-a-position' });
        await expect(subscription.done).rejects.toThrow(RangeError);
        await expect(subscription.caughtUp).rejects.toThrow(RangeError);
      });
    });
  });
}
