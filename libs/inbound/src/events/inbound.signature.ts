import { timingSafeEqual } from 'node:crypto';
import { signatureHeader } from '@taskinbox/webhooks';
import { InboundSignatureInvalid, InboundTimestampStale } from '../inbound.errors';

/** Standard Webhooks' default: messages older or newer than this are refused. */
export const toleranceSeconds = 5 * 60;

export interface SignedHeaders {
  id?: string;
  timestamp?: string;
  signature?: string;
}

/**
 * Checks a message as Standard Webhooks signs it: HMAC-SHA256 of `id.timestamp.body` under the
 * source's secret, in any one of the space-separated `v1,<base64>` signatures, sent within the
 * tolerance of `now`. Throws the refusal; returns the message id on success. Pure but for time.
 */
export function verifySignedMessage(secret: string, headers: SignedHeaders, body: Buffer, now: Date): string {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature)
    throw new InboundSignatureInvalid('webhook-id, webhook-timestamp and webhook-signature are required.');
  if (!/^[\x21-\x7e]{1,200}$/.test(id))
    throw new InboundSignatureInvalid('webhook-id must be 1-200 printable ASCII characters.');
  if (!/^\d{1,12}$/.test(timestamp))
    throw new InboundSignatureInvalid('webhook-timestamp must be whole seconds since the epoch.');
  const seconds = Number(timestamp);
  const expected = Buffer.from(signatureHeader([secret], id, seconds, body.toString('utf8')));
  const matches = signature
    .split(' ')
    .map((candidate) => Buffer.from(candidate))
    .some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected));
  if (!matches) throw new InboundSignatureInvalid('no webhook-signature matches the source secret.');
  // After the signature: an attacker learns nothing about the clock from a forged message.
  if (Math.abs(now.getTime() / 1000 - seconds) > toleranceSeconds) throw new InboundTimestampStale(toleranceSeconds);
  return id;
}
