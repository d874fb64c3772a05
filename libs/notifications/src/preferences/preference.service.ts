import type { Pool } from 'pg';
import { defaultPreferences, type Preferences } from '../pure/delivery-plan';
import type { PreferencesDto } from './preference.dto';

interface PreferenceRow {
  time_zone: string;
  channels: Preferences['channels'];
  quiet_start: string | null;
  quiet_end: string | null;
}

/** Each person's say in how and when they hear of things; the defaults until they say. */
export class NotificationPreferences {
  constructor(private readonly pool: Pool) {}

  async of(userId: string): Promise<Preferences> {
    const { rows } = await this.pool.query<PreferenceRow>('SELECT * FROM notification_preferences WHERE user_id = $1', [userId]);
    const row = rows[0];
    if (!row) return defaultPreferences;
    return {
      timeZone: row.time_zone,
      channels: { ...defaultPreferences.channels, ...row.channels },
      quietHours: row.quiet_start && row.quiet_end ? { start: row.quiet_start, end: row.quiet_end } : null,
    };
  }

  async save(userId: string, body: PreferencesDto): Promise<Preferences> {
    const channels = {
      low: body.channels.low,
      normal: body.channels.normal,
      high: body.channels.high,
      urgent: body.channels.urgent,
    };
    await this.pool.query(
      `INSERT INTO notification_preferences (user_id, time_zone, channels, quiet_start, quiet_end) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (user_id) DO UPDATE SET time_zone = $2, channels = $3, quiet_start = $4, quiet_end = $5, updated_at = now()`,
      [userId, body.timeZone, JSON.stringify(channels), body.quietHours?.start ?? null, body.quietHours?.end ?? null],
    );
    return this.of(userId);
  }
}
