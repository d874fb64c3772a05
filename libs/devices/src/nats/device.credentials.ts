import { encodeUser } from '@nats-io/jwt';
import { fromPublic } from '@nats-io/nkeys';
import type { Issuer } from '@taskinbox/nats-accounts';

/** Whether `signature` (base64url) is `publicKey`'s signature of `text`. */
export function verifySignature(publicKey: string, text: string, signature: string): boolean {
  try {
    return fromPublic(publicKey).verify(new TextEncoder().encode(text), Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}

export interface DeviceJwt {
  jwt: string;
  /** Unix seconds; a revocation covers JWTs issued at or before its time. */
  issuedAt: number;
  expiresAt: Date;
}

/**
 * A NATS user JWT for the device's own nkey, named after the device and signed with the DEVICES
 * account's scoped `device` key: whatever the JWT says, the server lets it subscribe only to its
 * own wake-ups and publish only its own reports, under the installation's prefix (its tag).
 */
export async function issueDeviceJwt(
  issuer: Issuer,
  options: { prefix: string; deviceId: string; publicKey: string; ttlSeconds: number; now: Date },
): Promise<DeviceJwt> {
  const signingSeed = issuer.signing.DEVICES?.device;
  if (!signingSeed) throw new Error('The NATS issuer file has no DEVICES device signing key: run nats:init again.');
  const issuedAt = Math.floor(options.now.getTime() / 1000);
  const expires = issuedAt + Math.min(options.ttlSeconds, 24 * 3600);
  const jwt = await encodeUser(
    options.deviceId,
    options.publicKey,
    issuer.keys.accounts.DEVICES.identity,
    { tags: [`prefix:${options.prefix}`] },
    { signer: signingSeed, scopedUser: true, exp: expires },
  );
  return { jwt, issuedAt, expiresAt: new Date(expires * 1000) };
}
