import type { Pool } from 'pg';
import type { UrgencyRule } from '../pure/urgency.rules';

/** Each organisation's ordered rule list, kept whole: order is what the rules mean. */
export class UrgencyRuleStore {
  constructor(private readonly pool: Pool) {}

  async get(orgId: string): Promise<{ rules: UrgencyRule[]; updatedAt: string | null }> {
    const { rows } = await this.pool.query<{ rules: UrgencyRule[]; updated_at: Date }>(
      `SELECT rules, updated_at FROM urgency_rules WHERE org_id = $1`,
      [orgId],
    );
    return { rules: rows[0]?.rules ?? [], updatedAt: rows[0]?.updated_at.toISOString() ?? null };
  }

  async replace(orgId: string, rules: UrgencyRule[]): Promise<void> {
    await this.pool.query(
      `INSERT INTO urgency_rules (org_id, rules) VALUES ($1, $2)
       ON CONFLICT (org_id) DO UPDATE SET rules = EXCLUDED.rules, updated_at = now()`,
      [orgId, JSON.stringify(rules)],
    );
  }

  async clear(orgId: string): Promise<void> {
    await this.pool.query(`DELETE FROM urgency_rules WHERE org_id = $1`, [orgId]);
  }

  async organisations(): Promise<string[]> {
    const { rows } = await this.pool.query<{ org_id: string }>(`SELECT org_id FROM urgency_rules`);
    return rows.map((row) => row.org_id);
  }
}
