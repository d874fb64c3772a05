import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { WebhookEndpointNotFound } from '../webhook.errors';
import type { SecretCipher } from '../secrets/secret.cipher';
import { type EndpointSecrets, generateSecret } from '../secrets/webhook.signer';
import type { UrlGuard } from '../url/url.guard';

export interface EndpointInput {
  url: string;
  description?: string;
  eventTypes?: string[];
  taskTypes?: string[];
  enabled?: boolean;
  ordered?: boolean;
  headers?: Record<string, string>;
}

/**
 * healthy: delivering (or nothing to deliver); failing: every attempt since `since` failed;
 * disabled: by hand or automatically (`reason`), since `since`.
 */
export interface EndpointHealth {
  state: 'healthy' | 'failing' | 'disabled';
  since: string;
  reason: string | null;
}

/** The endpoint columns signing needs, as stored. */
export interface EncryptedMaterial {
  secret_encrypted: string;
  previous_secret_encrypted: string | null;
  previous_secret_expires_at: Date | null;
  headers_encrypted: string | null;
}

/** An endpoint as the API shows it: header values and secrets stay hidden. */
export interface EndpointView {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  taskTypes: string[];
  enabled: boolean;
  ordered: boolean;
  disabledReason: string | null;
  health: EndpointHealth;
  headerNames: string[];
  createdAt: string;
  updatedAt: string;
}

interface EndpointRow {
  id: string;
  url: string;
  description: string;
  event_types: string[];
  task_types: string[];
  enabled: boolean;
  ordered: boolean;
  disabled_reason: string | null;
  headers_encrypted: string | null;
  failing_since: Date | null;
  health_since: Date;
  created_at: Date;
  updated_at: Date;
}

const columns =
  'id, url, description, event_types, task_types, enabled, ordered, disabled_reason, headers_encrypted, failing_since, health_since, created_at, updated_at';

/** Endpoints of one organisation; every query is scoped by org_id, so another's endpoint looks missing. */
export class EndpointService {
  constructor(
    private readonly pool: Pool,
    private readonly cipher: SecretCipher,
    private readonly guard: UrlGuard,
    private readonly rotationOverlapMs: number,
  ) {}

  /** The secret is returned this once. */
  async create(orgId: string, input: EndpointInput): Promise<EndpointView & { secret: string }> {
    await this.guard.checkUrl(input.url);
    const secret = generateSecret();
    const { rows } = await this.pool.query<EndpointRow>(
      `INSERT INTO webhook_endpoints (id, org_id, url, description, event_types, task_types, enabled, ordered, headers_encrypted, secret_encrypted)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${columns}`,
      [
        randomUUID(),
        orgId,
        input.url,
        input.description ?? '',
        input.eventTypes ?? [],
        input.taskTypes ?? [],
        input.enabled ?? true,
        input.ordered ?? true,
        this.encryptHeaders(input.headers),
        this.cipher.encrypt(secret),
      ],
    );
    return { ...this.view(rows[0]), secret };
  }

  async list(orgId: string): Promise<EndpointView[]> {
    const { rows } = await this.pool.query<EndpointRow>(
      `SELECT ${columns} FROM webhook_endpoints WHERE org_id = $1 ORDER BY created_at, id`,
      [orgId],
    );
    return rows.map((row) => this.view(row));
  }

  async get(orgId: string, id: string): Promise<EndpointView> {
    const { rows } = await this.pool.query<EndpointRow>(`SELECT ${columns} FROM webhook_endpoints WHERE org_id = $1 AND id = $2`, [
      orgId,
      id,
    ]);
    if (!rows[0]) throw new WebhookEndpointNotFound();
    return this.view(rows[0]);
  }

  async update(orgId: string, id: string, input: Partial<EndpointInput>): Promise<EndpointView> {
    if (input.url !== undefined) await this.guard.checkUrl(input.url);
    const { rows } = await this.pool.query<EndpointRow>(
      `UPDATE webhook_endpoints SET
         url = coalesce($3, url),
         description = coalesce($4, description),
         event_types = coalesce($5, event_types),
         task_types = coalesce($6, task_types),
         enabled = coalesce($7, enabled),
         ordered = coalesce($8, ordered),
         headers_encrypted = CASE WHEN $9::boolean THEN $10 ELSE headers_encrypted END,
         -- enabling by hand starts a fresh failure window
         disabled_reason = CASE WHEN $7 THEN NULL ELSE disabled_reason END,
         failing_since = CASE WHEN $7 THEN NULL ELSE failing_since END,
         health_since = CASE WHEN $7 <> enabled OR ($7 AND failing_since IS NOT NULL) THEN now() ELSE health_since END,
         updated_at = now()
       WHERE org_id = $1 AND id = $2 RETURNING ${columns}`,
      [
        orgId,
        id,
        input.url ?? null,
        input.description ?? null,
        input.eventTypes ?? null,
        input.taskTypes ?? null,
        input.enabled ?? null,
        input.ordered ?? null,
        input.headers !== undefined,
        this.encryptHeaders(input.headers),
      ],
    );
    if (!rows[0]) throw new WebhookEndpointNotFound();
    return this.view(rows[0]);
  }

  async remove(orgId: string, id: string): Promise<void> {
    const { rowCount } = await this.pool.query('DELETE FROM webhook_endpoints WHERE org_id = $1 AND id = $2', [orgId, id]);
    if (!rowCount) throw new WebhookEndpointNotFound();
  }

  /** A new secret, returned once; the old one keeps signing for the overlap so receivers can switch. */
  async rotateSecret(orgId: string, id: string): Promise<{ secret: string; previousExpiresAt: string }> {
    const secret = generateSecret();
    const { rows } = await this.pool.query<{ previous_secret_expires_at: Date }>(
      `UPDATE webhook_endpoints SET
         previous_secret_encrypted = secret_encrypted,
         previous_secret_expires_at = now() + make_interval(secs => $4::double precision / 1000),
         secret_encrypted = $3,
         updated_at = now()
       WHERE org_id = $1 AND id = $2 RETURNING previous_secret_expires_at`,
      [orgId, id, this.cipher.encrypt(secret), this.rotationOverlapMs],
    );
    if (!rows[0]) throw new WebhookEndpointNotFound();
    return { secret, previousExpiresAt: rows[0].previous_secret_expires_at.toISOString() };
  }

  /** Decrypted signing material of an endpoint, for the sender only. */
  decryptMaterial(row: EncryptedMaterial): { secrets: EndpointSecrets; headers: Record<string, string> } {
    const previous =
      row.previous_secret_encrypted && row.previous_secret_expires_at
        ? { secret: this.cipher.decrypt(row.previous_secret_encrypted), expiresAt: row.previous_secret_expires_at }
        : undefined;
    return {
      secrets: { current: this.cipher.decrypt(row.secret_encrypted), ...(previous ? { previous } : {}) },
      headers: row.headers_encrypted ? (JSON.parse(this.cipher.decrypt(row.headers_encrypted)) as Record<string, string>) : {},
    };
  }

  private encryptHeaders(headers: Record<string, string> | undefined): string | null {
    return headers && Object.keys(headers).length > 0 ? this.cipher.encrypt(JSON.stringify(headers)) : null;
  }

  private view(row: EndpointRow): EndpointView {
    const headers = row.headers_encrypted ? (JSON.parse(this.cipher.decrypt(row.headers_encrypted)) as Record<string, string>) : {};
    return {
      id: row.id,
      url: row.url,
      description: row.description,
      eventTypes: row.event_types,
      taskTypes: row.task_types,
      enabled: row.enabled,
      ordered: row.ordered,
      disabledReason: row.disabled_reason,
      health: {
        state: !row.enabled ? 'disabled' : row.failing_since ? 'failing' : 'healthy',
        since: row.health_since.toISOString(),
        reason: row.enabled ? null : row.disabled_reason,
      },
      headerNames: Object.keys(headers),
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    };
  }
}
