import type { CodedError } from '@taskinbox/http';

export class EventReaderNotFound extends Error implements CodedError {
  readonly code = 'event_reader_not_found';
  constructor() {
    super('Event reader not found.');
    this.name = 'EventReaderNotFound';
  }
}

/** NATS did not do what was asked (create the reader's consumer, take a revocation); nothing was half done. */
export class NatsUnavailable extends Error implements CodedError {
  readonly code = 'nats_unavailable';
  constructor(message: string) {
    super(message);
    this.name = 'NatsUnavailable';
  }
}
