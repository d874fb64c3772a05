import { SpanKind } from '@opentelemetry/api';
import { activeTraceCarrier, correlationIdAttribute, inSpan } from '@taskinbox/telemetry';
import type {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  LoggedEvent,
  LogTail,
  ReadAllOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from './event-store';

/**
 * The event store of a traced process: each append is a span, and each appended event keeps
 * that span's W3C trace context in its metadata (`traceparent`, `tracestate`). The relay and the
 * projector read the event later, in other processes, and continue the trace from there; the
 * context has to travel with the event because nothing else connects the append to them.
 */
export class TracedEventStore implements EventStore {
  constructor(private readonly store: EventStore) {}

  appendToStream(streamId: string, events: EventToAppend[], options?: { expectedRevision?: ExpectedRevision }): Promise<AppendResult> {
    return inSpan(
      'event-store append',
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'taskinbox.stream_id': streamId,
          'taskinbox.event_types': events.map((event) => event.type),
          ...(events[0] ? { [correlationIdAttribute]: events[0].metadata.correlationId } : {}),
        },
      },
      async (span) => {
        const carrier = activeTraceCarrier();
        const result = await this.store.appendToStream(
          streamId,
          events.map((event) => ({ ...event, metadata: { ...event.metadata, ...carrier } })),
          options,
        );
        span.setAttribute('taskinbox.position', result.position);
        return result;
      },
    );
  }

  readStream(streamId: string, options?: { fromRevision?: bigint; maxCount?: number }): Promise<RecordedEvent[]> {
    return this.store.readStream(streamId, options);
  }

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.store.readAll(options);
  }

  countAfter(after: string | undefined, cap: number): Promise<LogTail> {
    return this.store.countAfter(after, cap);
  }

  lastPosition(): Promise<string | undefined> {
    return this.store.lastPosition();
  }

  readAllWithoutMetadata(options?: ReadAllOptions): Promise<LoggedEvent[]> {
    return this.store.readAllWithoutMetadata(options);
  }

  deleteStream(streamId: string): Promise<void> {
    return this.store.deleteStream(streamId);
  }

  subscribeToAll(handler: (events: RecordedEvent[]) => Promise<void>, options?: SubscribeOptions): Subscription {
    return this.store.subscribeToAll(handler, options);
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
