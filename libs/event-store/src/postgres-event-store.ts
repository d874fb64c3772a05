import { randomUUID } from 'node:crypto';
import { Client, DatabaseError, Pool } from 'pg';
import { AppendBatcher, type Queued } from './append.batcher';
import { type CatchUpSource, CatchUpSubscriptions } from './catch-up.subscription';
import {
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type LogTail,
  type LoggedEvent,
  type ReadAllOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
  WrongExpectedRevisionError,
} from './event-store';
import { assertAppendable } from './append.guard';
import { parsePosition } from './position.codec';

export interface PostgresEventStoreOptions {
  /** Used as given and left open by close(): the caller owns it. */
  pool: Pool;
  /** How long an idle subscription waits for a notification before it reads anyway. Default 1000 ms. */
  pollIntervalMs?: number;
}

const channel = 'es_events';

// Codes understood by es_append_batch() (migration 0001); exact revisions are passed as themselves.
const expectedCodes = { no_stream: '-1', any: '-2', stream_exists: '-4' } as const;

// created_at as epoch milliseconds: a number is far cheaper to read than a timestamp's text.
const loggedColumns = `es_position(tx_id, global_position) AS position, event_id, event_type, stream_id,
  stream_revision::text AS stream_revision, data`;
const eventColumns = `${loggedColumns}, metadata, (extract(epoch FROM created_at) * 1000)::float8 AS created_at`;

// Rows of a transaction at or above the oldest one running in this database may still be joined
// by rows of that older transaction at smaller (tx_id, global_position): readAll waits until it
// finishes (es_read_horizon, migration 0122).
const visibleAfter = `(tx_id, global_position) > ($1::xid8, $2::bigint) AND tx_id < es_read_horizon()`;

/** `visibleAfter`'s $1 and $2 for a position (omitted: the log's start). */
function visibleAfterValues(after: string | undefined): [string, string] {
  const [txId, globalPosition] = after === undefined ? [0n, 0n] : parsePosition(after);
  // Decimal without leading zeros: xid8 input reads a leading 0 as octal.
  return [txId.toString(), globalPosition.toString()];
}

const readAllText = (columns: string): string =>
  `SELECT ${columns} FROM es_events WHERE ${visibleAfter} ORDER BY tx_id, global_position LIMIT $3`;

// A lag probe's count: the page readAll would return, without its events' data.
const countAfterText = `SELECT count(*)::int AS events, (extract(epoch FROM min(created_at)) * 1000)::float8 AS first_at
  FROM (SELECT created_at FROM es_events WHERE ${visibleAfter} ORDER BY tx_id, global_position LIMIT $3) page`;

// The last committed row, read backwards along (tx_id, global_position). Not cut at readAll's
// horizon: that can move back (a transaction in the snapshot that ended meanwhile holds readers
// back), and an event a reader already handed on must never lie past the answer.
const lastPositionText = `SELECT es_position(tx_id, global_position) AS position FROM es_events
  ORDER BY tx_id DESC, global_position DESC LIMIT 1`;

// The same page cut where the events' sizes add up past $4 bytes (the first row always stays):
// the size es_append_batch wrote, else (events from before it did) the stored size, which
// pg_column_size reads without decompressing or fetching a TOASTed value. Rows past the cut
// cost no more than their heap tuple.
const readAllBytesText = (columns: string): string => `SELECT ${columns} FROM (
    SELECT *, row_number() OVER w AS n, sum(coalesce(size, pg_column_size(data) + pg_column_size(metadata))) OVER w AS bytes
    FROM (SELECT * FROM es_events WHERE ${visibleAfter} ORDER BY tx_id, global_position LIMIT $3) page
    WINDOW w AS (ORDER BY tx_id, global_position ROWS UNBOUNDED PRECEDING)
  ) sized
  WHERE n = 1 OR bytes <= $4
  ORDER BY tx_id, global_position`;

/** A read of the log, by count and by bytes, as named (prepared) statements. */
interface ReadAllStatements {
  name: string;
  text: string;
  bytesText: string;
}

const readAllStatements = (name: string, columns: string): ReadAllStatements => ({
  name,
  text: readAllText(columns),
  bytesText: readAllBytesText(columns),
});
const readAllEvents = readAllStatements('es_read_all', eventColumns);
const readAllLogged = readAllStatements('es_read_all_logged', loggedColumns);

// Appends that each start a new stream (creating tasks), written set-based: stream rows claimed in
// array order (a flush sorts it, so parallel flushes cannot deadlock), then the events of the
// streams claimed, in event order so positions follow revisions. A row per stream that was new.
// One plain statement with per-event arrays, simple to plan (it is planned per execution): about
// the server time per append of plain INSERTs, where es_append_batch's loop took more.
const appendNewStreamsText = `
  WITH claimed AS (
    INSERT INTO es_streams (stream_id, stream_type, revision)
    SELECT a.stream_id, split_part(a.stream_id, '-', 1), a.count - 1
    FROM unnest($1::text[], $2::int[]) WITH ORDINALITY AS a(stream_id, count, n)
    ORDER BY a.n
    ON CONFLICT DO NOTHING
    RETURNING stream_id
  ),
  written AS (
    INSERT INTO es_events (stream_id, stream_revision, event_id, event_type, data, metadata, size)
    SELECT e.stream_id, e.revision, e.id, e.type, e.data, e.metadata, octet_length(e.data::text) + octet_length(e.metadata::text)
    FROM unnest($3::text[], $4::int[], $5::uuid[], $6::text[], $7::jsonb[], $8::jsonb[]) WITH ORDINALITY AS e(stream_id, revision, id, type, data, metadata, k)
    WHERE e.stream_id IN (SELECT stream_id FROM claimed)
    ORDER BY e.k
    RETURNING stream_id, stream_revision, tx_id, global_position
  )
  SELECT stream_id, max(stream_revision)::text AS next_revision, max(es_position(tx_id, global_position)) AS last_position
  FROM written
  GROUP BY stream_id`;

// Group commit (es_append_batch): a commit per append was the cost that dominated appends.
// Two flushes in flight did no worse than one, three or four in tools/bench/event-store.bench.ts.
const batching = { maxBatch: 100, maxFlushes: 2 };

/** On a conflict, next_revision is the stream's actual revision (-1: no stream). */
type AppendRow =
  | { outcome: 'appended' | 'duplicate'; next_revision: string; last_position: string }
  | { outcome: 'conflict'; next_revision: string; last_position: null };

/** An appendToStream call, encoded for es_append_batch. */
interface PendingAppend {
  streamId: string;
  expected: string;
  ids: string[];
  types: string[];
  data: string[];
  metadata: string[];
}

interface LoggedRow {
  position: string;
  event_id: string;
  event_type: string;
  stream_id: string;
  stream_revision: string;
  data: unknown;
}

interface EventRow extends LoggedRow {
  metadata: EventMetadata;
  created_at: number;
}

/**
 * The event store on PostgreSQL (schema: libs/database migration 0001). Concurrent appends are
 * committed together, one statement per batch; readers only see transactions older than the
 * oldest one still running, so the log never grows behind a reader's position.
 */
export class PostgresEventStore implements EventStore {
  private readonly pool: Pool;
  private readonly ownsPool: boolean;
  private readonly pollIntervalMs: number;
  // Tags our own notifications so the listener does not wake local subscribers twice (a UUID: safe to inline).
  private readonly instanceId = randomUUID();
  private readonly subscriptions: CatchUpSubscriptions;
  private listener?: { client: Client; ready: Promise<void> };
  private listenRetryAt = 0;
  private notifying?: Promise<void>;
  private notifyAgain = false;
  private readonly batcher = new AppendBatcher<PendingAppend, AppendRow>((batch) => this.flush(batch), batching);

  constructor(connection: string | PostgresEventStoreOptions) {
    if (typeof connection === 'string') {
      this.pool = new Pool({ connectionString: connection });
      // An idle connection that breaks is replaced on next use; without a listener it would crash the process.
      this.pool.on('error', () => undefined);
      this.ownsPool = true;
      this.pollIntervalMs = 1000;
    } else {
      this.pool = connection.pool;
      this.ownsPool = false;
      this.pollIntervalMs = connection.pollIntervalMs ?? 1000;
    }
    const source: CatchUpSource = {
      readAll: (options) => this.readAll(options),
      listen: () => this.listen(),
      heldBack: () => this.heldBack(),
    };
    this.subscriptions = new CatchUpSubscriptions(source, this.pollIntervalMs);
  }

  async appendToStream(
    streamId: string,
    events: EventToAppend[],
    options: { expectedRevision?: ExpectedRevision } = {},
  ): Promise<AppendResult> {
    const expected = options.expectedRevision ?? 'any';
    assertAppendable(events, expected);
    const row = await this.batcher.add({
      streamId,
      expected: typeof expected === 'bigint' ? expected.toString() : expectedCodes[expected],
      ids: events.map((event) => event.id),
      types: events.map((event) => event.type),
      // undefined has no JSON form; store it as JSON null.
      data: events.map((event) => JSON.stringify(event.data ?? null)),
      metadata: events.map((event) => JSON.stringify(event.metadata)),
    });
    if (row.outcome === 'conflict') {
      const actual = row.next_revision === '-1' ? 'no_stream' : BigInt(row.next_revision);
      throw new WrongExpectedRevisionError(streamId, expected, actual);
    }
    return { nextExpectedRevision: BigInt(row.next_revision), position: row.last_position };
  }

  async readStream(
    streamId: string,
    options: { fromRevision?: bigint; maxCount?: number } = {},
  ): Promise<RecordedEvent[]> {
    const { rows } = await this.pool.query<EventRow>({
      name: 'es_read_stream',
      text: `SELECT ${eventColumns} FROM es_events
             WHERE stream_id = $1 AND stream_revision >= $2
             ORDER BY stream_revision
             LIMIT $3`,
      values: [streamId, (options.fromRevision ?? 0n).toString(), options.maxCount ?? null],
    });
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return (await this.readAllRows<EventRow>(readAllEvents, options)).map(toRecordedEvent);
  }

  async readAllWithoutMetadata(options: ReadAllOptions = {}): Promise<LoggedEvent[]> {
    return (await this.readAllRows<LoggedRow>(readAllLogged, options)).map(toLoggedEvent);
  }

  private async readAllRows<Row extends LoggedRow>(statements: ReadAllStatements, options: ReadAllOptions): Promise<Row[]> {
    const values = [...visibleAfterValues(options.after), options.maxCount ?? null];
    const { rows } =
      options.maxBytes === undefined
        ? await this.pool.query<Row>({ name: statements.name, text: statements.text, values })
        : await this.pool.query<Row>({
            name: `${statements.name}_bytes`,
            text: statements.bytesText,
            values: [...values, options.maxBytes],
          });
    return rows;
  }

  async countAfter(after: string | undefined, cap: number): Promise<LogTail> {
    const { rows } = await this.pool.query<{ events: number; first_at: number | null }>({
      name: 'es_count_after',
      text: countAfterText,
      values: [...visibleAfterValues(after), cap + 1],
    });
    const { events, first_at: firstAt } = rows[0];
    return firstAt === null ? { events } : { events, firstRecordedAt: new Date(firstAt) };
  }

  async lastPosition(): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ position: string }>({ name: 'es_last_position', text: lastPositionText });
    return rows[0]?.position;
  }

  async deleteStream(streamId: string): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // The stream row first: an append to the stream waits for this transaction (es_append_batch claims it).
      await client.query('DELETE FROM es_streams WHERE stream_id = $1', [streamId]);
      await client.query('DELETE FROM es_events WHERE stream_id = $1', [streamId]);
      await client.query('DELETE FROM stream_snapshots WHERE stream_id = $1', [streamId]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  subscribeToAll(handler: (events: RecordedEvent[]) => Promise<void>, options: SubscribeOptions = {}): Subscription {
    return this.subscriptions.subscribe(handler, options);
  }

  async close(): Promise<void> {
    await this.subscriptions.closeAll();
    const listener = this.listener;
    this.listener = undefined;
    await listener?.client.end().catch(() => undefined);
    await this.notifying;
    if (this.ownsPool) await this.pool.end();
  }

  /** Committed events that readAll() still hides because an older transaction is open. */
  private async heldBack(): Promise<boolean> {
    const { rows } = await this.pool.query<{ held: boolean }>({
      name: 'es_held_back',
      // max() reads one entry off the end of es_events_tx_pos; EXISTS would plan a sequential scan.
      text: `SELECT coalesce(max(tx_id) >= es_read_horizon(), false) AS held FROM es_events`,
    });
    return rows[0].held;
  }

  /** Commits a batch of appends together; if that fails, each append gets its own transaction. */
  private async flush(batch: Queued<PendingAppend, AppendRow>[]): Promise<void> {
    let rows: AppendRow[] | undefined;
    if (batch.length > 1) {
      // Parallel flushes claim stream rows in one order, so they cannot deadlock on them. The
      // sort is stable: appends to one stream keep their queue order.
      batch = [...batch].sort((a, b) =>
        a.item.streamId < b.item.streamId ? -1 : a.item.streamId > b.item.streamId ? 1 : 0,
      );
      // Any failure rolls back the whole batch, though it may be one append's own (an event id
      // used in another stream, a concurrent duplicate from another process): appends are
      // idempotent, so running them one by one is safe and gives each its own outcome.
      rows = await this.append(batch.map((queued) => queued.item)).catch(() => undefined);
    }
    let appended = false;
    for (const [index, queued] of batch.entries()) {
      try {
        const row = rows?.[index] ?? (await this.appendAlone(queued.item));
        appended ||= row.outcome === 'appended';
        queued.resolve(row);
      } catch (error) {
        queued.reject(error);
      }
    }
    if (appended) this.announce();
  }

  private async appendAlone(append: PendingAppend): Promise<AppendRow> {
    try {
      return (await this.append([append]))[0];
    } catch (error) {
      // A concurrent append of the same ids committed between es_append_batch's look-up and its
      // insert; running it again finds that append and returns its result.
      if (!(error instanceof DatabaseError && error.constraint === 'es_events_event_id_key')) throw error;
      return (await this.append([append]))[0];
    }
  }

  /** Rows in the order of `appends`; one statement, so one transaction in autocommit, unless some start no new stream (below). */
  private async append(appends: PendingAppend[]): Promise<AppendRow[]> {
    if (!startsNewStreams(appends)) return this.appendEach(appends);
    const { rows } = await this.pool.query<{ stream_id: string; next_revision: string; last_position: string }>({
      name: 'es_append_new_streams',
      text: appendNewStreamsText,
      values: [
        appends.map((append) => append.streamId),
        appends.map((append) => append.ids.length),
        appends.flatMap((append) => append.ids.map(() => append.streamId)),
        appends.flatMap((append) => append.ids.map((_, revision) => revision)),
        ...eventArrays(appends),
      ],
    });
    const written = new Map(rows.map((row) => [row.stream_id, row]));
    const results: (AppendRow | undefined)[] = appends.map((append) => {
      const row = written.get(append.streamId);
      return row && { outcome: 'appended', next_revision: row.next_revision, last_position: row.last_position };
    });
    // Streams that existed: a retry of the append that made them, or a conflict. es_append_batch
    // tells them apart in statements of its own, which see the transaction that made the stream.
    const existed = appends.flatMap((append, index) => (results[index] ? [] : [{ append, index }]));
    if (existed.length > 0) {
      const rest = await this.appendEach(existed.map(({ append }) => append));
      existed.forEach(({ index }, at) => (results[index] = rest[at]));
    }
    return results as AppendRow[];
  }

  /** es_append_batch: any expected revisions, each append in turn. */
  private async appendEach(appends: PendingAppend[]): Promise<AppendRow[]> {
    const { rows } = await this.pool.query<AppendRow>({
      name: 'es_append_batch',
      text: `SELECT outcome, next_revision::text AS next_revision, last_position
             FROM es_append_batch($1, $2, $3, $4::uuid[], $5::text[], $6::jsonb[], $7::jsonb[])
             ORDER BY n`,
      values: [
        appends.map((append) => append.streamId),
        appends.map((append) => append.expected),
        appends.map((append) => append.ids.length),
        ...eventArrays(appends),
      ],
    });
    return rows;
  }

  /** Wakes local subscribers now and other processes' through a NOTIFY outside the appends. */
  private announce(): void {
    this.subscriptions.wakeAll();
    this.notifyAgain = true;
    this.notifying ??= this.notify();
  }

  // At most one NOTIFY in flight; appends that finish meanwhile are covered by exactly one more.
  private async notify(): Promise<void> {
    while (this.notifyAgain) {
      this.notifyAgain = false;
      try {
        // A plain statement (simple protocol, nothing to plan): measurably cheaper than pg_notify($1, $2).
        await this.pool.query(`NOTIFY ${channel}, '${this.instanceId}'`);
      } catch {
        // Remote subscribers still poll; an append must not fail because its wake-up did.
      }
    }
    this.notifying = undefined;
  }

  /** A dedicated LISTEN connection shared by this store's subscriptions; reconnects at most once per poll interval. */
  private listen(): Promise<void> {
    if (!this.listener && !this.subscriptions.closed && Date.now() >= this.listenRetryAt) {
      const client = new Client(this.pool.options);
      const listener = { client, ready: Promise.resolve() };
      const lose = (): void => {
        if (this.listener !== listener) return;
        this.listener = undefined;
        this.listenRetryAt = Date.now() + this.pollIntervalMs;
        client.end().catch(() => undefined);
      };
      client.on('error', lose);
      client.on('end', lose);
      client.on('notification', (message) => {
        if (message.payload === this.instanceId) return;
        this.subscriptions.wakeAll();
      });
      listener.ready = client
        .connect()
        .then(() => client.query(`LISTEN ${channel}`))
        .then(() => undefined, lose);
      this.listener = listener;
    }
    return this.listener?.ready ?? Promise.resolve();
  }
}

/** The appends' events as es_append_batch and appendNewStreamsText take them: ids, types, data, metadata. */
const eventArrays = (appends: PendingAppend[]): string[][] => [
  appends.flatMap((append) => append.ids),
  appends.flatMap((append) => append.types),
  appends.flatMap((append) => append.data),
  appends.flatMap((append) => append.metadata),
];

/** Every append expects no stream, and no two name the same one. */
function startsNewStreams(appends: PendingAppend[]): boolean {
  const streams = new Set<string>();
  for (const append of appends) {
    if (append.expected !== expectedCodes.no_stream || streams.has(append.streamId)) return false;
    streams.add(append.streamId);
  }
  return true;
}

const toLoggedEvent = (row: LoggedRow): LoggedEvent => ({
  id: row.event_id,
  type: row.event_type,
  streamId: row.stream_id,
  revision: BigInt(row.stream_revision),
  position: row.position,
  data: row.data,
});

const toRecordedEvent = (row: EventRow): RecordedEvent => ({
  ...toLoggedEvent(row),
  metadata: row.metadata,
  createdAt: new Date(row.created_at),
});
