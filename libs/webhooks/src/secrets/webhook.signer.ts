import { createHmac, randomBytes } from 'node:crypto';

const secretPrefix = 'whsec_';

/** A new endpoint signing secret: `whsec_` + base64 of 32 random bytes (Standard Webhooks). */
export function generateSecret(): string {
  return secretPrefix + randomBytes(32).toString('base64');
}

/**
 * The `webhook-signature` header: one `v1,<base64 HMAC-SHA256>` per secret, space-separated,
 * so receivers holding either the old or the new secret accept messages during a rotation.
 */
export function signatureHeader(secrets: readonly string[], id: string, timestampSeconds: number, body: string): string {
  const signed = `${id}.${timestampSeconds}.${body}`;
  return secrets
    .map((secret) => {
      const key = Buffer.from(secret.startsWith(secretPrefix) ? secret.slice(secretPrefix.length) : secret, 'base64');
      return `v1,${createHmac('sha256', key).update(signed).digest('base64')}`;
    })
    .join(' ');
}

export interface EndpointSecrets {
  current: string;
  previous?: { secret: string; expiresAt: Date };
}

/** The secrets that sign at `now`: the current one, and the previous one until its overlap ends. */
export function signingSecrets(secrets: EndpointSecrets, now: Date): string[] {
  const { previous } = secrets;
  return previous && previous.expiresAt > now ? [secrets.current, previous.secret] : [secrets.current];
}
