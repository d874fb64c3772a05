import type { CodedError } from '@taskinbox/http';

export class SloNotFound extends Error implements CodedError {
  readonly code = 'slo_not_found';
  constructor() {
    super('SLO not found.');
    this.name = 'SloNotFound';
  }
}
