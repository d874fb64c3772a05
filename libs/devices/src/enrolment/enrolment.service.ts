import { createHash, randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { inTransaction } from '@taskinbox/database';
import { type EnrolmentResult, enrolmentText } from '@taskinbox/device-protocol';
import type { AgentSessions } from '../agent/agent-session.service';
import type { EnrolDto } from '../agent/agent.dto';
import type { DeviceStore } from '../aggregates';
import type { Clock } from '../devices.clock';
import { devicesErrors } from '../devices.errors';
import { verifySignature } from '../nats/device.credentials';
import type { EnrolmentTokenCreatedView, EnrolmentTokenDto, EnrolmentTokenView } from './enrolment.dto';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

interface TokenRow {
  id: string;
  org_id: string;
  name: string;
  group_ids: string[];
  expires_at: Date;
  used_at: Date | null;
  used_by_device: string | null;
  used_by_key: string | null;
  revoked_at: Date | null;
  created_at: Date;
}

const view = (row: TokenRow): EnrolmentTokenView => ({
  id: row.id,
  name: row.name,
  groupIds: row.group_ids,
  expiresAt: row.expires_at.toISOString(),
  usedAt: row.used_at?.toISOString() ?? null,
  deviceId: row.used_by_device,
  revokedAt: row.revoked_at?.toISOString() ?? null,
  createdAt: row.created_at.toISOString(),
});

/**
 * Enrolment: an admin makes a single-use, short-lived token (stored as a hash, shown once); the
 * agent makes its own nkey and enrols with the token, signing it with that key. The device gets
 * its id, an access token and its NATS user JWT.
 */
export class Enrolment {
  constructor(
    private readonly pool: Pool,
    private readonly devices: DeviceStore,
    private readonly sessions: AgentSessions,
    private readonly clock: Clock,
  ) {}

  async createToken(orgId: string, createdBy: string, dto: EnrolmentTokenDto): Promise<EnrolmentTokenCreatedView> {
    const groupIds = [...new Set(dto.groupIds ?? [])];
    if (groupIds.length > 0) {
      const { rowCount } = await this.pool.query('SELECT 1 FROM device_groups WHERE org_id = $1 AND id = ANY($2::uuid[])', [
        orgId,
        groupIds,
      ]);
      if (rowCount !== groupIds.length) throw devicesErrors.invalid('groupIds', 'names a device group that does not exist');
    }
    const token = `tie_${randomBytes(24).toString('base64url')}`;
    const expiresAt = new Date(this.clock.now().getTime() + (dto.expiresInMinutes ?? 60) * 60_000);
    const { rows } = await this.pool.query<TokenRow>(
      `INSERT INTO device_enrolment_tokens (id, org_id, name, token_hash, group_ids, expires_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [uuidv7(), orgId, dto.name?.trim() || 'enrolment token', sha256(token), groupIds, expiresAt, createdBy],
    );
    return { ...view(rows[0]), token };
  }

  async listTokens(orgId: string): Promise<EnrolmentTokenView[]> {
    const { rows } = await this.pool.query<TokenRow>(
      'SELECT * FROM device_enrolment_tokens WHERE org_id = $1 ORDER BY created_at DESC, id LIMIT 200',
      [orgId],
    );
    return rows.map(view);
  }

  async revokeToken(orgId: string, id: string): Promise<void> {
    const { rowCount } = await this.pool.query(
      'UPDATE device_enrolment_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE org_id = $1 AND id = $2',
      [orgId, id],
    );
    if (rowCount !== 1) throw devicesErrors.enrolmentTokenNotFound();
  }

  /**
   * Spends the token on this key. The same key enrolling again with the same token (its answer
   * was lost) gets the same device back; any other use of a spent token is refused.
   */
  async enrol(dto: EnrolDto, correlationId: string): Promise<EnrolmentResult> {
    if (!verifySignature(dto.publicKey, enrolmentText(dto.token), dto.signature))
      throw devicesErrors.invalid('signature', 'is not the publicKey’s signature of the enrolment text');
    const { token, deviceId } = await inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<TokenRow>(
        'SELECT * FROM device_enrolment_tokens WHERE token_hash = $1 FOR UPDATE',
        [sha256(dto.token)],
      );
      const row = rows[0];
      const retry = row?.used_by_key === dto.publicKey;
      if (!row || row.revoked_at || (!retry && (row.used_at || row.expires_at <= this.clock.now())))
        throw devicesErrors.enrolmentTokenRefused();
      const id = row.used_by_device ?? uuidv7();
      if (!retry) {
        const taken = await client.query('SELECT 1 FROM device_access WHERE public_key = $1', [dto.publicKey]);
        if (taken.rowCount) throw devicesErrors.invalid('publicKey', 'belongs to another device: make a new key');
        await client.query(
          'UPDATE device_enrolment_tokens SET used_at = $2, used_by_device = $3, used_by_key = $4 WHERE id = $1',
          [row.id, this.clock.now(), id, dto.publicKey],
        );
        await client.query('INSERT INTO device_access (device_id, org_id, public_key) VALUES ($1, $2, $3)', [
          id,
          row.org_id,
          dto.publicKey,
        ]);
        await client.query('INSERT INTO device_presence (device_id, org_id) VALUES ($1, $2)', [id, row.org_id]);
        await client.query(
          `INSERT INTO device_group_members (group_id, device_id)
           SELECT id, $2 FROM device_groups WHERE org_id = $3 AND id = ANY($1::uuid[])`,
          [row.group_ids, id, row.org_id],
        );
      }
      return { token: row, deviceId: id };
    });
    const name = dto.name?.trim() || dto.facts.hostname;
    await this.devices.execute(
      deviceId,
      () => ({ orgId: token.org_id, actor: `device:${deviceId}`, correlationId }),
      () => [
        {
          type: 'EnrolDevice',
          deviceId,
          orgId: token.org_id,
          name,
          publicKey: dto.publicKey,
          enrolmentTokenId: token.id,
          groupIds: token.group_ids,
          facts: { ...dto.facts },
          labels: dto.labels ?? {},
          now: this.clock.now().toISOString(),
        },
      ],
    );
    const session = await this.sessions.issue({ deviceId, orgId: token.org_id }, dto.publicKey);
    return { deviceId, orgId: token.org_id, name, ...session };
  }
}
