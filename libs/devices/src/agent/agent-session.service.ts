import { createHash, randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import type { Config } from '@taskinbox/config';
import { type AgentSession, challengeText, deviceSubjects } from '@taskinbox/device-protocol';
import type { Issuer } from '@taskinbox/nats-accounts';
import { devicesErrors } from '../devices.errors';
import { issueDeviceJwt, verifySignature } from '../nats/device.credentials';
import type { DeviceCaller } from '../runs/run.commands';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const challengeSeconds = 60;
/** Open challenges kept per device: enough for honest concurrency, not a table anyone can fill. */
const openChallengesKept = 8;
export const accessTokenPrefix = 'tid_';

/**
 * How a device proves who it is. It holds one secret, its nkey seed, made on the device; it
 * signs a fresh server nonce with it and gets a short-lived HTTPS access token and a NATS user
 * JWT (≤ 24 h) for the same key. Both die with unenrolment: the access row is checked on every
 * request, and the NATS key is revoked.
 */
export class AgentSessions {
  constructor(
    private readonly pool: Pool,
    private readonly config: Config,
    private readonly issuer: Issuer,
  ) {}

  // Credentials live on real time, whatever clock the schedules are tested with: NATS checks a
  // JWT's expiry against its own clock.
  private now(): Date {
    return new Date();
  }

  /**
   * A nonce for the device to sign. Unknown devices get one too (that never works), so the answer
   * does not tell which device ids exist. Each nonce is its own single-use row: asking again does
   * not spend the ones already handed out, so a device's concurrent sign-ins (or a stranger
   * asking in its name) cannot make its signature fail. Only the newest few per device are kept.
   */
  async challenge(deviceId: string): Promise<{ nonce: string; expiresAt: string }> {
    const nonce = randomBytes(32).toString('base64url');
    const now = this.now();
    const expiresAt = new Date(now.getTime() + challengeSeconds * 1000);
    await this.pool.query(
      `WITH added AS (
         INSERT INTO device_challenges (nonce_hash, device_id, created_at, expires_at)
         SELECT $2, device_id, $3, $4 FROM device_access WHERE device_id = $1
       )
       DELETE FROM device_challenges WHERE device_id = $1 AND (expires_at <= $3 OR nonce_hash IN (
         SELECT nonce_hash FROM device_challenges WHERE device_id = $1 ORDER BY created_at DESC OFFSET $5))`,
      [deviceId, sha256(nonce), now, expiresAt, openChallengesKept - 1],
    );
    return { nonce, expiresAt: expiresAt.toISOString() };
  }

  /**
   * A new session for a device that signed one of its open nonces; the nonce is spent either
   * way. A device that proves its key but was unenrolled is told so (only its key holder can
   * learn it); anything else is a plain authentication failure, worth a new challenge.
   */
  async open(deviceId: string, nonce: string, signature: string): Promise<AgentSession> {
    const { rows } = await this.pool.query<{ public_key: string; org_id: string; enrolled: boolean; fresh: boolean }>(
      `WITH spent AS (DELETE FROM device_challenges WHERE nonce_hash = $2 AND device_id = $1 RETURNING expires_at)
       SELECT a.public_key, a.org_id, a.unenrolled_at IS NULL AS enrolled,
              coalesce((SELECT expires_at > $3 FROM spent), false) AS fresh
       FROM device_access a WHERE a.device_id = $1`,
      [deviceId, sha256(nonce), this.now()],
    );
    const row = rows[0];
    if (!row?.fresh || !verifySignature(row.public_key, challengeText(nonce), signature)) {
      throw devicesErrors.deviceAuthFailed('The challenge is unknown, expired or not signed by this device’s key.');
    }
    if (!row.enrolled) throw devicesErrors.deviceUnenrolled();
    return this.issue({ deviceId, orgId: row.org_id }, row.public_key);
  }

  /** A new access token and NATS JWT for a device whose key was just proven (enrolment, a signed challenge). */
  async issue(device: DeviceCaller, publicKey: string): Promise<AgentSession> {
    const now = this.now();
    const accessToken = `${accessTokenPrefix}${randomBytes(32).toString('base64url')}`;
    const accessExpiresAt = new Date(now.getTime() + this.config.devices.accessTtlSeconds * 1000);
    const nats = await issueDeviceJwt(this.issuer, {
      prefix: this.config.nats.prefix,
      deviceId: device.deviceId,
      publicKey,
      ttlSeconds: this.config.devices.natsJwtTtlSeconds,
      now,
    });
    const { rowCount } = await this.pool.query(
      `UPDATE device_access SET access_hash = $2, access_expires_at = $3, nats_issued_at = greatest(nats_issued_at, $4)
       WHERE device_id = $1 AND unenrolled_at IS NULL`,
      [device.deviceId, sha256(accessToken), accessExpiresAt, nats.issuedAt],
    );
    if (rowCount !== 1) throw devicesErrors.deviceUnenrolled();
    const subjects = deviceSubjects(this.config.nats.prefix, device.deviceId);
    return {
      accessToken,
      accessExpiresAt: accessExpiresAt.toISOString(),
      nats: {
        url: this.config.devices.natsUrl,
        jwt: nats.jwt,
        expiresAt: nats.expiresAt.toISOString(),
        commands: subjects.commands,
        heartbeat: subjects.heartbeat,
      },
      heartbeatSeconds: this.config.devices.heartbeatSeconds,
      pollSeconds: this.config.devices.pollSeconds,
    };
  }

  /** The device a bearer token belongs to, if it is current and the device still enrolled. */
  async authenticate(token: string): Promise<DeviceCaller | undefined> {
    if (!token.startsWith(accessTokenPrefix)) return undefined;
    const { rows } = await this.pool.query<{ device_id: string; org_id: string }>(
      `SELECT device_id, org_id FROM device_access
       WHERE access_hash = $1 AND access_expires_at > $2 AND unenrolled_at IS NULL`,
      [sha256(token), this.now()],
    );
    return rows[0] && { deviceId: rows[0].device_id, orgId: rows[0].org_id };
  }
}
