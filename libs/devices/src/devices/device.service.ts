import type { Pool } from 'pg';
import type { AccountRevocations } from '@taskinbox/nats-accounts';
import { NatsUnavailable } from '@taskinbox/nats-accounts';
import type { Logger } from 'pino';
import type { DeviceStore } from '../aggregates';
import type { Clock } from '../devices.clock';
import { DeviceCommandRefused } from '../devices.errors';
import { groupsOfDevices } from '../groups/device.targets';
import type { DevicePresence } from '../presence/device.presence';
import { DeviceNotFound } from '../pure';
import type { RunCommands, UserCaller } from '../runs/run.commands';
import type { DeviceSummary } from './device.dto';

interface Row {
  device_id: string;
  name: string;
  enrolled: boolean;
  online: boolean | null;
  last_seen_at: Date | null;
  facts: DeviceSummary['facts'];
  labels: Record<string, string>;
  public_key: string;
  enrolled_at: Date;
  unenrolled_at: Date | null;
}

const select = `SELECT v.device_id, v.name, v.enrolled, p.online, p.last_seen_at, v.facts, v.labels, v.public_key,
  v.enrolled_at, v.unenrolled_at FROM device_views v LEFT JOIN device_presence p ON p.device_id = v.device_id`;

/** Devices as people see and manage them: presence, facts, groups; renaming and unenrolling. */
export class DeviceService {
  constructor(
    private readonly pool: Pool,
    private readonly devices: DeviceStore,
    private readonly runs: RunCommands,
    private readonly presence: DevicePresence,
    private readonly revocations: AccountRevocations,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async list(orgId: string, includeUnenrolled = false): Promise<DeviceSummary[]> {
    const { rows } = await this.pool.query<Row>(
      `${select} WHERE v.org_id = $1 ${includeUnenrolled ? '' : 'AND v.enrolled'} ORDER BY v.name, v.device_id`,
      [orgId],
    );
    return this.views(orgId, rows);
  }

  async get(orgId: string, id: string): Promise<DeviceSummary> {
    const { rows } = await this.pool.query<Row>(`${select} WHERE v.org_id = $1 AND v.device_id = $2`, [orgId, id]);
    if (!rows[0]) throw new DeviceCommandRefused(new DeviceNotFound());
    return (await this.views(orgId, rows))[0];
  }

  async rename(caller: UserCaller, id: string, name: string, correlationId: string): Promise<void> {
    await this.devices.execute(
      id,
      () => ({ orgId: caller.orgId, actor: `user:${caller.userId}`, correlationId }),
      (device) => {
        if (!device.exists || device.orgId !== caller.orgId) throw new DeviceCommandRefused(new DeviceNotFound());
        return [{ type: 'RenameDevice', name, by: `user:${caller.userId}`, now: this.clock.now().toISOString() }];
      },
    );
  }

  /**
   * Cuts the device off: its access token and challenges stop working at once, NATS closes its
   * connection and refuses its key, and its queue of runs is dropped. Unenrolling again pushes
   * the revocation again (for a NATS that did not confirm it).
   */
  async unenrol(caller: UserCaller, id: string, correlationId: string): Promise<void> {
    const { rows } = await this.pool.query<{ public_key: string; nats_issued_at: string | null }>(
      `UPDATE device_access SET unenrolled_at = coalesce(unenrolled_at, $3), access_hash = NULL
       WHERE device_id = $1 AND org_id = $2 RETURNING public_key, nats_issued_at`,
      [id, caller.orgId, this.clock.now()],
    );
    if (!rows[0]) throw new DeviceCommandRefused(new DeviceNotFound());
    const by = `user:${caller.userId}`;
    await this.devices.execute(
      id,
      () => ({ orgId: caller.orgId, actor: by, correlationId }),
      () => [{ type: 'UnenrolDevice', by, now: this.clock.now().toISOString() }],
    );
    await this.presence.offline(id);
    await this.runs.dropQueue(caller.orgId, id, by, correlationId);
    try {
      await this.revocations.revoke('DEVICES', rows[0].public_key, Number(rows[0].nats_issued_at ?? 0));
    } catch (error) {
      this.logger.warn({ err: error, deviceId: id }, 'device revocation not confirmed by NATS');
      throw new NatsUnavailable(
        'The device is unenrolled and refused over HTTPS, but NATS did not confirm the revocation: try again (it is pushed again at every start too).',
      );
    }
  }

  private async views(orgId: string, rows: Row[]): Promise<DeviceSummary[]> {
    const groups = await groupsOfDevices(this.pool, orgId, rows.map((row) => row.device_id));
    return rows.map((row) => ({
      id: row.device_id,
      name: row.name,
      enrolled: row.enrolled,
      online: row.enrolled && (row.online ?? false),
      lastSeenAt: row.last_seen_at?.toISOString() ?? null,
      facts: row.facts,
      labels: row.labels,
      groupIds: groups.get(row.device_id) ?? [],
      publicKey: row.public_key,
      enrolledAt: row.enrolled_at.toISOString(),
      unenrolledAt: row.unenrolled_at?.toISOString() ?? null,
    }));
  }
}
