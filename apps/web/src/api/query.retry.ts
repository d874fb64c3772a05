import { ApiError } from './api.client';

/** Queries are asked again after a failure of the network or the server, never after a refusal (4xx). */
export function retryUnlessRefused(count: number, error: Error): boolean {
  return count < 2 && !(error instanceof ApiError && error.status > 0 && error.status < 500);
}

/**
 * For a link to one thing that may be seconds old (a notification, a sender's receipt): it can
 * arrive before the read side has that thing, so a 404 is asked again for about eight seconds.
 */
export function retryWhileNew(count: number, error: Error): boolean {
  return error instanceof ApiError && error.status === 404 ? count < 6 : retryUnlessRefused(count, error);
}

export const retryWhileNewDelay = (count: number): number => Math.min(2_000, 250 * 2 ** count);
