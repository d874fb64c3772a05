import { DatabaseError, type Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { generateSecret, type SecretCipher } from '@taskinbox/webhooks';
import { InboundSourceInvalid, InboundSourceKeyTaken, InboundSourceNotFound } from '../inbound.errors';
import type {
  CreatedInboundSourceView,
  CreateInboundSourceDto,
  InboundSourceView,
  SourceKind,
} from './inbound-source.dto';

interface SourceRow {
  id: string;
  org_id: string;
  name: string;
  kind: SourceKind;
  key: string;
  api_key_id: string | null;
  secret_encrypted: string;
  created_at: Date;
}

/** A source as the inbound route needs it: who it is and its secret in the clear. */
export interface InboundSource {
  id: string;
  orgId: string;
  name: string;
  kind: SourceKind;
  key: string;
  /** Senders: the API key they act as, and its name. */
  apiKey?: { id: string; name: string };
  secret: string;
}

/** Inbound sources of an organisation; secrets are encrypted at rest as webhook endpoints' are. */
export class InboundSourceService {
  constructor(
    private readonly pool: Pool,
    private readonly cipher: SecretCipher,
  ) {}

  /** The secret is returned this once. */
  async create(orgId: string, input: CreateInboundSourceDto): Promise<CreatedInboundSourceView> {
    if (input.kind === 'third_party' && input.apiKeyId !== undefined) {
      throw new InboundSourceInvalid('A third party acts as itself: apiKeyId is for senders only.');
    }
    if (input.kind === 'sender') {
      const { rowCount } = await this.pool.query(
        `SELECT 1 FROM api_keys WHERE id = $1 AND org_id = $2 AND revoked_at IS NULL`,
        [input.apiKeyId, orgId],
      );
      if (!rowCount) throw new InboundSourceInvalid('apiKeyId names no active API key of this organisation.');
    }
    const secret = generateSecret();
    try {
      const { rows } = await this.pool.query<SourceRow>(
        `INSERT INTO inbound_sources (id, org_id, name, kind, key, api_key_id, secret_encrypted)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [uuidv7(), orgId, input.name, input.kind, input.key, input.apiKeyId ?? null, this.cipher.encrypt(secret)],
      );
      return { ...view(rows[0]), secret };
    } catch (error) {
      if (error instanceof DatabaseError && error.constraint === 'inbound_sources_org_key')
        throw new InboundSourceKeyTaken();
      throw error;
    }
  }

  async list(orgId: string): Promise<InboundSourceView[]> {
    const { rows } = await this.pool.query<SourceRow>(
      `SELECT * FROM inbound_sources WHERE org_id = $1 ORDER BY created_at, id`,
      [orgId],
    );
    return rows.map(view);
  }

  async get(orgId: string, id: string): Promise<InboundSourceView> {
    const { rows } = await this.pool.query<SourceRow>(`SELECT * FROM inbound_sources WHERE org_id = $1 AND id = $2`, [
      orgId,
      id,
    ]);
    if (!rows[0]) throw new InboundSourceNotFound();
    return view(rows[0]);
  }

  /** Its accepted message ids go with it: a deleted source can sign nothing any more. */
  async remove(orgId: string, id: string): Promise<void> {
    const { rowCount } = await this.pool.query(`DELETE FROM inbound_sources WHERE org_id = $1 AND id = $2`, [
      orgId,
      id,
    ]);
    if (!rowCount) throw new InboundSourceNotFound();
  }

  /** The source that may sign for `id`, undefined when there is none (or its sender key was revoked). */
  async find(id: string): Promise<InboundSource | undefined> {
    const { rows } = await this.pool.query<SourceRow & { api_key_name: string | null }>(
      `SELECT s.*, k.name AS api_key_name
       FROM inbound_sources s LEFT JOIN api_keys k ON k.id = s.api_key_id
       WHERE s.id = $1 AND (s.kind = 'third_party' OR k.revoked_at IS NULL)`,
      [id],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      id: row.id,
      orgId: row.org_id,
      name: row.name,
      kind: row.kind,
      key: row.key,
      ...(row.api_key_id ? { apiKey: { id: row.api_key_id, name: row.api_key_name ?? row.name } } : {}),
      secret: this.cipher.decrypt(row.secret_encrypted),
    };
  }
}

const view = (row: SourceRow): InboundSourceView => ({
  id: row.id,
  name: row.name,
  kind: row.kind,
  key: row.key,
  ...(row.api_key_id ? { apiKeyId: row.api_key_id } : {}),
  createdAt: row.created_at.toISOString(),
});
