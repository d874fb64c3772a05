import {
  ANY,
  type AllStreamSubscription,
  type AppendExpectedRevision,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  type JSONType,
  NO_STREAM,
  type Position,
  type RecordedEvent as EsdbRecordedEvent,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
} from '@eventstore/db-client';
import { assertAppendable } from './append.guard';
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
import { formatPosition, parsePosition } from './position.codec';

export interface EventStoreDbEventStoreOptions {
  /** Used as given and left open by close(): the caller owns it. */
  client: EventStoreDBClient;
  /** How long an idle subscription waits for a live event before it reads anyway. Default 1000 ms. */
  pollIntervalMs?: number;
}

const toEsdbRevision = (expected: ExpectedRevision): AppendExpectedRevision => {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return expected;
  }
};

/**
 * The event store on EventStoreDB (@eventstore/db-client). Subscriptions share the catch-up
 * loop of the PostgreSQL adapter: they read $all in batches and a live server subscription
 * only wakes them, so batching and `caughtUp` behave the same on both backends.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly ownsClient: boolean;
  private readonly pollIntervalMs: number;
  private readonly subscriptions: CatchUpSubscriptions;
  private live?: { subscription: AllStreamSubscription; ready: Promise<void> };
  private liveRetryAt = 0;

  constructor(connection: string | EventStoreDbEventStoreOptions) {
    if (typeof connection === 'string') {
      this.client = EventStoreDBClient.connectionString(connection);
      this.ownsClient = true;
      this.pollIntervalMs = 1000;
    } else {
      this.client = connection.client;
      this.ownsClient = false;
      this.pollIntervalMs = connection.pollIntervalMs ?? 1000;
    }
    const source: CatchUpSource = {
      readAll: (options) => this.readAll(options),
      listen: () => this.listen(),
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
    try {
      const result = await this.client.appendToStream(
        streamId,
        // The client serialises any JSON value; its JSONType is narrower than `unknown`.
        events.map((event) =>
          jsonEvent({ id: event.id, type: event.type, data: event.data as JSONType, metadata: event.metadata }),
        ),
        { expectedRevision: toEsdbRevision(expected) },
      );
      // The server may leave the position out (seen on idempotent retries); the last event has it.
      const position = result.position ?? (await this.positionAt(streamId, result.nextExpectedRevision));
      return { nextExpectedRevision: result.nextExpectedRevision, position: toPositionString(position) };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        throw new WrongExpectedRevisionError(streamId, expected, error.actualVersion);
      }
      throw error;
    }
  }

  async readStream(
    streamId: string,
    options: { fromRevision?: bigint; maxCount?: number } = {},
  ): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamId, {
        fromRevision: options.fromRevision ?? START,
        maxCount: options.maxCount,
        direction: FORWARDS,
      });
      for await (const resolved of read) if (resolved.event) events.push(toRecordedEvent(resolved.event));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  async deleteStream(streamId: string): Promise<void> {
    try {
      await this.client.deleteStream(streamId);
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const limit = options.maxCount ?? Number.POSITIVE_INFINITY;
    const events: RecordedEvent[] = [];
    if (limit <= 0) return events;
    const after = options.after;
    let bytes = 0;
    const read = this.client.readAll({
      fromPosition: after === undefined ? START : toPosition(after),
      direction: FORWARDS,
    });
    // The read has no server-side filter in this client version, so system events are skipped
    // here and the read streams on until enough events are collected.
    for await (const resolved of read) {
      const event = resolved.event;
      if (!event || event.type.startsWith('$') || event.streamId.startsWith('$')) continue;
      const recorded = toRecordedEvent(event);
      // Reading $all from a position includes the event at that position.
      if (after !== undefined && recorded.position <= after) continue;
      if (options.maxBytes !== undefined) {
        const size = Buffer.byteLength(JSON.stringify(recorded.data)) + Buffer.byteLength(JSON.stringify(recorded.metadata));
        if (events.length > 0 && bytes + size > options.maxBytes) {
          await read.cancel();
          break;
        }
        bytes += size;
      }
      events.push(recorded);
      if (events.length >= limit) {
        await read.cancel();
        break;
      }
    }
    return events;
  }

  /** The client has no count over $all: the tail is read, up to the cap. */
  async countAfter(after: string | undefined, cap: number): Promise<LogTail> {
    const tail = await this.readAll({ after, maxCount: cap + 1 });
    return tail.length === 0 ? { events: 0 } : { events: tail.length, firstRecordedAt: tail[0].createdAt };
  }

  async lastPosition(): Promise<string | undefined> {
    const read = this.client.readAll({ fromPosition: END, direction: BACKWARDS });
    for await (const resolved of read) {
      const event = resolved.event;
      if (!event || event.type.startsWith('$') || event.streamId.startsWith('$')) continue;
      await read.cancel();
      return toRecordedEvent(event).position;
    }
    return undefined;
  }

  // The client parses every event whole: nothing to save here.
  async readAllWithoutMetadata(options?: ReadAllOptions): Promise<LoggedEvent[]> {
    return (await this.readAll(options)).map(({ metadata: _, createdAt: __, ...logged }) => logged);
  }

  subscribeToAll(handler: (events: RecordedEvent[]) => Promise<void>, options: SubscribeOptions = {}): Subscription {
    return this.subscriptions.subscribe(handler, options);
  }

  async close(): Promise<void> {
    await this.subscriptions.closeAll();
    const live = this.live;
    this.live = undefined;
    await live?.subscription.unsubscribe();
    if (this.ownsClient) await this.client.dispose();
  }

  private async positionAt(streamId: string, revision: bigint): Promise<Position> {
    const [event] = await this.readStream(streamId, { fromRevision: revision, maxCount: 1 });
    return toPosition(event.position);
  }

  /** One live subscription to $all per store, used only to wake the catch-up loops. */
  private listen(): Promise<void> {
    if (!this.live && !this.subscriptions.closed && Date.now() >= this.liveRetryAt) {
      const subscription = this.client.subscribeToAll({ fromPosition: END, filter: excludeSystemEvents() });
      const lose = (): void => {
        if (this.live !== live) return;
        this.live = undefined;
        this.liveRetryAt = Date.now() + this.pollIntervalMs;
        subscription.unsubscribe().catch(() => undefined);
      };
      // Wait for the server's confirmation, but never longer than one poll interval.
      const ready = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.pollIntervalMs);
        const settle = (): void => {
          clearTimeout(timer);
          resolve();
        };
        subscription.once('confirmation', settle);
        subscription.once('error', settle);
      });
      const live = { subscription, ready };
      subscription.on('data', () => {
        this.subscriptions.wakeAll();
      });
      subscription.on('error', lose);
      subscription.on('end', lose);
      this.live = live;
    }
    return this.live?.ready ?? Promise.resolve();
  }
}

const toPosition = (position: string): Position => {
  const [commit, prepare] = parsePosition(position);
  return { commit, prepare };
};

const toPositionString = (position: Position): string => formatPosition(position.commit, position.prepare);

const toRecordedEvent = (event: EsdbRecordedEvent): RecordedEvent => {
  if (!event.position)
    throw new Error('EventStoreDB did not report event positions; it must be version 22.6 or later.');
  return {
    id: event.id,
    type: event.type,
    streamId: event.streamId,
    revision: event.revision,
    position: toPositionString(event.position),
    data: event.data,
    metadata: event.metadata as EventMetadata,
    createdAt: event.created,
  };
};
