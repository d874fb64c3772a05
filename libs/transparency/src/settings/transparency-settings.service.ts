import type { Pool } from 'pg';
import type { EtaHook } from '../pure/eta';

export interface TransparencySettings {
  /** Days a status link keeps working after its task is completed or cancelled. */
  linkTtlDays: number;
  /** Whether status pages show the type's resolution stats. */
  publicStats: boolean;
  /** Applied in order to every estimate. */
  etaHooks: EtaHook[];
}

export const defaultSettings: TransparencySettings = { linkTtlDays: 30, publicStats: false, etaHooks: [] };

/** Each organisation's transparency settings; the defaults until an admin sets them. */
export class TransparencySettingsService {
  constructor(private readonly pool: Pool) {}

  async get(orgId: string): Promise<TransparencySettings> {
    const { rows } = await this.pool.query<{ link_ttl_days: number; public_stats: boolean; eta_hooks: EtaHook[] }>(
      'SELECT link_ttl_days, public_stats, eta_hooks FROM transparency_settings WHERE org_id = $1',
      [orgId],
    );
    if (rows.length === 0) return defaultSettings;
    return { linkTtlDays: rows[0].link_ttl_days, publicStats: rows[0].public_stats, etaHooks: rows[0].eta_hooks };
  }

  async replace(orgId: string, settings: TransparencySettings): Promise<TransparencySettings> {
    await this.pool.query(
      `INSERT INTO transparency_settings (org_id, link_ttl_days, public_stats, eta_hooks) VALUES ($1, $2, $3, $4)
       ON CONFLICT (org_id) DO UPDATE SET link_ttl_days = $2, public_stats = $3, eta_hooks = $4, updated_at = now()`,
      [orgId, settings.linkTtlDays, settings.publicStats, JSON.stringify(settings.etaHooks)],
    );
    return settings;
  }
}
