// The one interface every event store adapter implements (PostgreSQL, EventStoreDB).

/** 'no_stream': the stream must not exist; 'stream_exists': it must; bigint: its last revision (0-based). */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export interface EventMetadata {
  orgId: string;
  /** `user:<id>` or `service:<api key id>` */
  actor: string;
  correlationId: string;
  causationId?: string;
  [key: string]: unknown;
}

export interface EventToAppend {
  /** UUID; appending the same ids again is a no-op that returns the original result. */
  id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
}

/** An event without its metadata and time: what a fold of the log (a rebuild) reads. */
export interface LoggedEvent {
  id: string;
  type: string;
  streamId: string;
  /** 0-based position of the event inside its stream. */
  revision: bigint;
  /** Opaque, totally ordered string: compare positions as strings. */
  position: string;
  data: unknown;
}

export interface RecordedEvent extends LoggedEvent {
  metadata: EventMetadata;
  createdAt: Date;
}

export interface AppendResult {
  nextExpectedRevision: bigint;
  position: string;
}

export interface ReadAllOptions {
  /** Exclusive: events after this position. Omit to read from the start. */
  after?: string;
  maxCount?: number;
  /**
   * Stops before the event that would take the events read past this many bytes of data and
   * metadata (as JSON text); the first event always comes, however large, so a read never stalls.
   */
  maxBytes?: number;
}

/** What follows a position in the log, counted without reading the events themselves. */
export interface LogTail {
  /** Events after the position, counted up to a cap and then cap + 1. */
  events: number;
  /** When the first of them was recorded; absent when none follow. */
  firstRecordedAt?: Date;
}

export interface SubscribeOptions {
  /** Exclusive start position; omit to start at the beginning of the log. */
  after?: string;
  /** Size of the batches handed to the handler while catching up. */
  batchSize?: number;
  /** Bytes a batch may carry (see ReadAllOptions.maxBytes); a single larger event comes alone. */
  batchBytes?: number;
  /**
   * While following live, the least time from one read's start to the next: appends that land
   * meanwhile come in one batch. A read after a quiet spell is not held back. Default 25 ms.
   */
  liveReadIntervalMs?: number;
}

/**
 * Catch up from `after`, then follow live. The handler gets events in log order;
 * the subscription waits for a handler call to settle before reading further.
 */
export interface Subscription {
  /** Resolves once the subscription has delivered everything that existed when it started. */
  readonly caughtUp: Promise<void>;
  /** Stops reading; resolves when the running handler call (if any) has finished. */
  close(): Promise<void>;
  /** Rejects if reading or the handler fails; the subscription stops then. */
  readonly done: Promise<void>;
}

export interface EventStore {
  /** Rejects with RangeError when `events` is empty or the expected revision is a negative bigint. */
  appendToStream(
    streamId: string,
    events: EventToAppend[],
    options?: { expectedRevision?: ExpectedRevision },
  ): Promise<AppendResult>;
  /** All events of a stream in revision order; [] when it does not exist. */
  readStream(streamId: string, options?: { fromRevision?: bigint; maxCount?: number }): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** How far the log runs past `after` (omitted: its start), as readAll would see it; for lag probes. */
  countAfter(after: string | undefined, cap: number): Promise<LogTail>;
  /**
   * The position of the log's last committed event (undefined: none yet); readAll returns it once
   * older transactions have ended. Anything a reader of the log has handed on (the relay's live
   * events) is at or before it.
   */
  lastPosition(): Promise<string | undefined>;
  /** readAll without each event's metadata and time, for readers of the whole log that never look at them (a rebuild): less to parse. */
  readAllWithoutMetadata(options?: ReadAllOptions): Promise<LoggedEvent[]>;
  /**
   * Removes a stream and its events for good (retention of history that has expired); a
   * missing stream is no error. Readers of the log never see its events again; appending to
   * the id later starts a new stream.
   */
  deleteStream(streamId: string): Promise<void>;
  subscribeToAll(
    handler: (events: RecordedEvent[]) => Promise<void>,
    options?: SubscribeOptions,
  ): Subscription;
  close(): Promise<void>;
}

export class WrongExpectedRevisionError extends Error {
  readonly code = 'wrong_expected_revision';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's last revision, or 'no_stream'. */
    readonly actual: bigint | 'no_stream',
  ) {
    super(`Stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}.`);
    this.name = 'WrongExpectedRevisionError';
  }
}
