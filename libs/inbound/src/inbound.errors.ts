import type { CodedError } from '@taskinbox/http';

/**
 * Refusals of a signed inbound message. Each says what was wrong, and none is written down:
 * an unknown source, a missing header and a wrong signature look the same to the caller.
 */
export class InboundSignatureInvalid extends Error implements CodedError {
  readonly code = 'inbound_signature_invalid';
  constructor(detail: string) {
    super(`Inbound message refused: ${detail}`);
    this.name = 'InboundSignatureInvalid';
  }
}

export class InboundTimestampStale extends Error implements CodedError {
  readonly code = 'inbound_timestamp_stale';
  constructor(toleranceSeconds: number) {
    super(`Inbound message refused: webhook-timestamp is more than ${toleranceSeconds} s away from now.`);
    this.name = 'InboundTimestampStale';
  }
}

export class InboundReplayed extends Error implements CodedError {
  readonly code = 'inbound_replayed';
  constructor() {
    super('Inbound message refused: this webhook-id was already accepted from this source.');
    this.name = 'InboundReplayed';
  }
}

/** A source asked for something its kind may not do (a third party cancelling). */
export class InboundActionNotAllowed extends Error implements CodedError {
  readonly code = 'inbound_action_not_allowed';
  constructor(detail: string) {
    super(detail);
    this.name = 'InboundActionNotAllowed';
  }
}

export class InboundSourceNotFound extends Error implements CodedError {
  readonly code = 'inbound_source_not_found';
  constructor() {
    super('Inbound source not found.');
    this.name = 'InboundSourceNotFound';
  }
}

export class InboundSourceInvalid extends Error implements CodedError {
  readonly code = 'inbound_source_invalid';
  constructor(detail: string) {
    super(detail);
    this.name = 'InboundSourceInvalid';
  }
}

export class InboundSourceKeyTaken extends Error implements CodedError {
  readonly code = 'inbound_source_key_taken';
  constructor() {
    super('Another inbound source of this organisation has this key.');
    this.name = 'InboundSourceKeyTaken';
  }
}
