import { Inject, Injectable, Optional } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { CONFIG, type Config } from '@taskinbox/config';
import { InjectPool } from '@taskinbox/database';
import { CurrentAccess } from '../access/current-access.service';
import type { Principal, Scope } from '../principal';

export interface ApiKeySummary {
  id: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

/** How many verified keys one process remembers (tests make it small). */
export const API_KEY_CACHE_ENTRIES = Symbol('taskinbox.api-key-cache-entries');

const keyPattern = /^tib_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;
// One-shot: a Hash object per call cost more than the digest on every authenticated request.
const sha256 = (value: string): Buffer => hash('sha256', value, 'buffer');

/**
 * API keys are `tib_<lookup>_<secret>`: 32 random bytes of secret, kept only as SHA-256.
 * A slow password hash is not needed for a secret of that entropy, and a short cache keeps
 * the per-request cost to one hash. Only keys that verified are cached, so a flood of wrong
 * keys cannot push a valid one out; the secret is compared before anything is written.
 */
@Injectable()
export class ApiKeyService {
  private readonly cache: LRUCache<string, { principal: Principal; expiresAt: number }> | null;

  constructor(
    @InjectPool() private readonly pool: Pool,
    @Inject(CONFIG) config: Config,
    private readonly access: CurrentAccess,
    @Optional() @Inject(API_KEY_CACHE_ENTRIES) cacheEntries?: number,
  ) {
    this.cache = config.apiKeyCacheMs > 0 ? new LRUCache({ max: cacheEntries ?? 10_000, ttl: config.apiKeyCacheMs }) : null;
    // A revocation anywhere drops the key here; a missed notice drops everything.
    access.onChange((subject) => {
      if (subject === '*') this.cache?.clear();
      else if (subject.startsWith('api-key:')) this.forget(subject.slice('api-key:'.length));
    });
  }

  async issue(orgId: string, name: string, keyScopes: Scope[], createdBy: string | null, expiresAt: Date | null = null) {
    const id = uuidv7();
    const lookup = randomBytes(9).toString('base64url').replace(/[-_]/g, 'x').slice(0, 12);
    const secret = randomBytes(32).toString('base64url');
    await this.pool.query(
      `INSERT INTO api_keys (id, org_id, name, lookup, secret_sha256, scopes, created_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [id, orgId, name, lookup, sha256(secret), keyScopes, createdBy, expiresAt],
    );
    return {
      id,
      name,
      scopes: keyScopes,
      prefix: `tib_${lookup}`,
      key: `tib_${lookup}_${secret}`,
      expiresAt: expiresAt?.toISOString() ?? null,
    };
  }

  /** The principal for a raw key, or null when it is malformed, unknown, wrong, expired or revoked. */
  async verify(rawKey: string): Promise<Principal | null> {
    const match = keyPattern.exec(rawKey);
    if (!match) return null;
    const cacheKey = hash('sha256', rawKey, 'base64');
    const cached = this.cache?.get(cacheKey);
    if (cached) return cached.expiresAt > Date.now() ? cached.principal : null;

    const [, lookup, secret] = match;
    const { rows } = await this.pool.query(
      `SELECT id, org_id, name, secret_sha256, scopes, expires_at FROM api_keys
        WHERE lookup = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
      [lookup],
    );
    const row = rows[0];
    if (!row || !timingSafeEqual(row.secret_sha256, sha256(secret))) return null;
    // Written only for a key that verified, and at most once a minute per key.
    await this.pool.query(
      `UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [row.id],
    );
    const principal: Principal = { orgId: row.org_id, actor: { kind: 'service', id: row.id, name: row.name }, scopes: row.scopes };
    this.cache?.set(cacheKey, { principal, expiresAt: row.expires_at?.getTime() ?? Number.POSITIVE_INFINITY });
    return principal;
  }

  async list(orgId: string): Promise<ApiKeySummary[]> {
    const { rows } = await this.pool.query(
      `SELECT id, name, lookup, scopes, created_at, last_used_at, expires_at, revoked_at
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
      expiresAt: row.expires_at?.toISOString() ?? null,
      revokedAt: row.revoked_at?.toISOString() ?? null,
    }));
  }

  /** False when no such key exists in the organisation. The key stops working on every process at once. */
  revoke(orgId: string, id: string): Promise<boolean> {
    return this.access.change(async (db, touch) => {
      const { rowCount } = await db.query(
        'UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE org_id = $1 AND id = $2',
        [orgId, id],
      );
      touch(`api-key:${id}`);
      return rowCount === 1;
    });
  }

  private forget(id: string): void {
    if (!this.cache) return;
    for (const [cacheKey, entry] of this.cache.entries()) if (entry.principal.actor.id === id) this.cache.delete(cacheKey);
  }
}
