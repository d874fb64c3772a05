import type { Pool } from 'pg';
import { generateSecret, type SecretCipher } from '@taskinbox/webhooks';

/**
 * Each organisation's secret for signing the calls its custom actions make (Standard Webhooks,
 * `whsec_…`): made on first use, kept encrypted, shown to its admins so receivers can verify.
 */
export class ActionSecrets {
  constructor(
    private readonly pool: Pool,
    private readonly cipher: SecretCipher,
  ) {}

  async secretOf(orgId: string): Promise<string> {
    // Two first uses at once: one insert wins, both read the winner.
    await this.pool.query(
      'INSERT INTO task_action_secrets (org_id, secret_encrypted) VALUES ($1, $2) ON CONFLICT (org_id) DO NOTHING',
      [orgId, this.cipher.encrypt(generateSecret())],
    );
    const { rows } = await this.pool.query<{ secret_encrypted: string }>('SELECT secret_encrypted FROM task_action_secrets WHERE org_id = $1', [orgId]);
    return this.cipher.decrypt(rows[0].secret_encrypted);
  }
}
