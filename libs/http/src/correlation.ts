import { randomUUID } from 'node:crypto';

const validId = /^[A-Za-z0-9._:-]{8,100}$/;

/** A caller's correlation id when it is sane, else a new one. */
export function acceptCorrelationId(candidate: unknown): string {
  return typeof candidate === 'string' && validId.test(candidate) ? candidate : randomUUID();
}

/** The correlation id of a NATS message (header `x-correlation-id`). */
export function correlationIdOf(headers: { get(name: string): string } | undefined): string {
  return acceptCorrelationId(headers?.get('x-correlation-id'));
}
