import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { CONFIG, type Config } from '@taskinbox/config';
import { InjectPool } from '@taskinbox/database';
import type { Principal, Scope } from '../principal';

export interface ApiKeySummary {
  id: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const keyPattern = /^tib_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;
const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * API keys are `tib_<lookup>_<secret>`: 32 random bytes of secret, kept only as SHA-256.
 * A slow password hash is not needed for a secret of that entropy, and a short cache keeps
 * the per-request cost to one hash.
 */
@Injectable()
export class ApiKeyService {
  private readonly cache = new Map<string, { principal: Principal | null; until: number }>();

  constructor(
    @InjectPool() private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  async issue(orgId: string, name: string, keyScopes: Scope[], createdBy: string | null) {
    const id = uuidv7();
    const lookup = randomBytes(9).toString('base64url').replace(/[-_]/g, 'x').slice(0, 12);
    const secret = randomBytes(32).toString('base64url');
    await this.pool.query(
      `INSERT INTO api_keys (id, org_id, name, lookup, secret_sha256, scopes, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [id, orgId, name, lookup, sha256(secret), keyScopes, createdBy],
    );
    return { id, name, scopes: keyScopes, prefix: `tib_${lookup}`, key: `tib_${lookup}_${secret}` };
  }

  /** The principal for a raw key, or null when it is malformed, unknown, wrong or revoked. */
  async verify(rawKey: string): Promise<Principal | null> {
    const match = keyPattern.exec(rawKey);
    if (!match) return null;
    const cacheKey = sha256(rawKey).toString('base64');
    const cached = this.cache.get(cacheKey);
    if (cached && cached.until > Date.now()) return cached.principal;

    const [, lookup, secret] = match;
    const { rows } = await this.pool.query(
      `UPDATE api_keys SET last_used_at = now()
       WHERE lookup = $1 AND revoked_at IS NULL
       RETURNING id, org_id, name, secret_sha256, scopes`,
      [lookup],
    );
    const row = rows[0];
    const principal: Principal | null =
      row && timingSafeEqual(row.secret_sha256, sha256(secret))
        ? { orgId: row.org_id, actor: { kind: 'service', id: row.id, name: row.name }, scopes: row.scopes }
        : null;
    if (this.config.apiKeyCacheMs > 0) {
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(cacheKey, { principal, until: Date.now() + this.config.apiKeyCacheMs });
    }
    return principal;
  }

  async list(orgId: string): Promise<ApiKeySummary[]> {
    const { rows } = await this.pool.query(
      `SELECT id, name, lookup, scopes, created_at, last_used_at, revoked_at
       FROM api_keys WHERE org_id = $1 ORDER BY created_at`,
      [orgId],
    );
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      prefix: `tib_${row.lookup}`,
      scopes: row.scopes,
      createdAt: row.created_at.toISOString(),
      lastUsedAt: row.last_used_at?.toISOString() ?? null,
      revokedAt: row.revoked_at?.toISOString() ?? null,
    }));
  }

  /** False when no such key exists in the organisation. Cached verifications expire within API_KEY_CACHE_MS. */
  async revoke(orgId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE org_id = $1 AND id = $2',
      [orgId, id],
    );
    this.cache.clear();
    return rowCount === 1;
  }
}
