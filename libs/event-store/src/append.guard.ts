import type { EventToAppend, ExpectedRevision } from './event-store';

/** Rejects what no adapter can append, before it reaches the backend. */
export function assertAppendable(events: EventToAppend[], expected: ExpectedRevision): void {
  // An empty append has no position to report and nothing to make idempotent.
  if (events.length === 0) throw new RangeError('appendToStream needs at least one event.');
  if (typeof expected === 'bigint' && expected < 0n) {
    throw new RangeError(`expectedRevision must be 0 or more, got ${expected}; use 'no_stream' for a new stream.`);
  }
}
