import { DatabaseError, type Pool, type PoolClient } from 'pg';
import { inTransaction } from '@taskinbox/database';
import { v7 as uuidv7 } from 'uuid';
import { devicesErrors } from '../devices.errors';
import type { DeviceGroupDto, DeviceGroupView } from './device-group.dto';
import { devicesOfGroups } from './device.targets';

interface Row {
  id: string;
  name: string;
  selector: Record<string, string>;
  device_ids: string[];
  created_at: Date;
  updated_at: Date;
}

const select = `SELECT g.id, g.name, g.selector, g.created_at, g.updated_at,
  coalesce(array_agg(m.device_id ORDER BY m.device_id) FILTER (WHERE m.device_id IS NOT NULL), '{}') AS device_ids
  FROM device_groups g LEFT JOIN device_group_members m ON m.group_id = g.id`;

/** Device groups: static members and a label selector. Admins change them; everyone reads them. */
export class DeviceGroupService {
  constructor(
    private readonly pool: Pool,
    /** Devices whose schedules may have changed with a group's members. */
    private readonly membersChanged: (orgId: string, deviceIds: string[]) => Promise<void>,
  ) {}

  async list(orgId: string): Promise<DeviceGroupView[]> {
    const { rows } = await this.pool.query<Row>(`${select} WHERE g.org_id = $1 GROUP BY g.id ORDER BY g.name`, [orgId]);
    return this.views(orgId, rows);
  }

  async get(orgId: string, id: string): Promise<DeviceGroupView> {
    const { rows } = await this.pool.query<Row>(`${select} WHERE g.org_id = $1 AND g.id = $2 GROUP BY g.id`, [orgId, id]);
    if (!rows[0]) throw devicesErrors.groupNotFound();
    return (await this.views(orgId, rows))[0];
  }

  async create(orgId: string, dto: DeviceGroupDto): Promise<DeviceGroupView> {
    const id = uuidv7();
    await this.write(orgId, dto, async (client) => {
      await client.query('INSERT INTO device_groups (id, org_id, name, selector) VALUES ($1, $2, $3, $4)', [
        id,
        orgId,
        dto.name.trim(),
        JSON.stringify(dto.selector ?? {}),
      ]);
      return id;
    });
    return this.get(orgId, id);
  }

  async replace(orgId: string, id: string, dto: DeviceGroupDto): Promise<DeviceGroupView> {
    const before = await this.get(orgId, id);
    await this.write(orgId, dto, async (client) => {
      await client.query(
        'UPDATE device_groups SET name = $3, selector = $4, updated_at = now() WHERE org_id = $1 AND id = $2',
        [orgId, id, dto.name.trim(), JSON.stringify(dto.selector ?? {})],
      );
      await client.query('DELETE FROM device_group_members WHERE group_id = $1', [id]);
      return id;
    });
    const after = await this.get(orgId, id);
    await this.membersChanged(orgId, [...new Set([...before.members, ...after.members])]);
    return after;
  }

  async remove(orgId: string, id: string): Promise<void> {
    const before = await this.get(orgId, id);
    await this.pool.query('DELETE FROM device_groups WHERE org_id = $1 AND id = $2', [orgId, id]);
    await this.membersChanged(orgId, before.members);
  }

  /** Name and selector set by `apply`, then the static members, in one transaction. */
  private async write(
    orgId: string,
    dto: DeviceGroupDto,
    apply: (client: PoolClient) => Promise<string>,
  ): Promise<void> {
    try {
      await inTransaction(this.pool, async (client) => {
        const id = await apply(client);
        const deviceIds = [...new Set(dto.deviceIds ?? [])];
        if (deviceIds.length === 0) return;
        const { rowCount } = await client.query(
          `INSERT INTO device_group_members (group_id, device_id)
           SELECT $1, device_id FROM device_access WHERE org_id = $2 AND device_id = ANY($3::uuid[])`,
          [id, orgId, deviceIds],
        );
        // Another organisation's device is reported exactly like a missing one.
        if (rowCount !== deviceIds.length) throw devicesErrors.invalid('deviceIds', 'names a device that does not exist');
      });
    } catch (error) {
      if (error instanceof DatabaseError && error.code === '23505') throw devicesErrors.groupNameTaken();
      throw error;
    }
  }

  private async views(orgId: string, rows: Row[]): Promise<DeviceGroupView[]> {
    const members = await devicesOfGroups(this.pool, orgId, rows.map((row) => row.id));
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      deviceIds: row.device_ids,
      selector: row.selector,
      members: members.get(row.id) ?? [],
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    }));
  }
}
