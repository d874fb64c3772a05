import type { Pool } from 'pg';
import type { ClientEvent } from '../nats/device.messaging';
import { devicesChangedChannel } from '../projection/devices.rows';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Whether each device is online, and when it was last heard: from NATS connect and disconnect
 * events (the client's signed JWT name and its nkey, checked against the enrolled key) and the
 * device's heartbeats. A device silent for three heartbeats is offline. Readers hear of every
 * change between online and offline on the devices_changed channel.
 */
export class DevicePresence {
  constructor(
    private readonly pool: Pool,
    private readonly heartbeatSeconds: number,
  ) {}

  async heartbeat(deviceId: string): Promise<void> {
    if (!uuid.test(deviceId)) return;
    await this.set(deviceId, 'online = true, last_seen_at = now()');
  }

  async client(event: ClientEvent): Promise<void> {
    if (!uuid.test(event.deviceId)) return;
    const enrolled = await this.pool.query(
      'SELECT 1 FROM device_access WHERE device_id = $1 AND public_key = $2 AND unenrolled_at IS NULL',
      [event.deviceId, event.userKey],
    );
    if (enrolled.rowCount === 0) return;
    if (event.kind === 'connect') {
      await this.set(event.deviceId, 'online = true, nats_client = $2, connected_at = now(), last_seen_at = now()', [
        event.clientId,
      ]);
    } else {
      // An older connection closing after the device reconnected leaves it online.
      await this.set(event.deviceId, 'online = false, disconnected_at = now()', [event.clientId], 'nats_client = $2');
    }
  }

  /** Devices silent for three heartbeats go offline. */
  async sweep(): Promise<void> {
    const { rows } = await this.pool.query<{ org_id: string }>(
      `UPDATE device_presence SET online = false
       WHERE online AND (last_seen_at IS NULL OR last_seen_at < now() - make_interval(secs => $1))
       RETURNING org_id`,
      [this.heartbeatSeconds * 3],
    );
    await this.notify(new Set(rows.map((row) => row.org_id)));
  }

  async offline(deviceId: string): Promise<void> {
    await this.set(deviceId, 'online = false, disconnected_at = now()');
  }

  private async set(deviceId: string, assignments: string, values: unknown[] = [], condition = 'true'): Promise<void> {
    const { rows } = await this.pool.query<{ org_id: string; changed: boolean }>(
      `WITH before AS (SELECT online FROM device_presence WHERE device_id = $1 FOR UPDATE)
       UPDATE device_presence p SET ${assignments}
       FROM before WHERE p.device_id = $1 AND ${condition}
       RETURNING p.org_id, p.online IS DISTINCT FROM before.online AS changed`,
      [deviceId, ...values],
    );
    if (rows[0]?.changed) await this.notify(new Set([rows[0].org_id]));
  }

  private async notify(orgs: Set<string>): Promise<void> {
    for (const org of orgs) await this.pool.query('SELECT pg_notify($1, $2)', [devicesChangedChannel, JSON.stringify({ org })]);
  }
}
