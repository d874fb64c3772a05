import type { Pool, PoolClient } from 'pg';

type Db = Pick<Pool | PoolClient, 'query'>;

// Which devices a group holds and which groups a device is in: static members and label
// selectors, enrolled devices only. One place for the rule, used by run now, schedules and views.

const memberOf = `
  (EXISTS (SELECT 1 FROM device_group_members m WHERE m.group_id = g.id AND m.device_id = a.device_id)
   OR (g.selector <> '{}'::jsonb AND EXISTS (
     SELECT 1 FROM device_views v WHERE v.device_id = a.device_id AND v.labels @> g.selector)))`;

/** Enrolled devices of a group, by id. */
export async function devicesOfGroups(db: Db, orgId: string, groupIds: string[]): Promise<Map<string, string[]>> {
  const { rows } = await db.query<{ group_id: string; device_id: string }>(
    `SELECT g.id AS group_id, a.device_id FROM device_groups g
       JOIN device_access a ON a.org_id = g.org_id AND a.unenrolled_at IS NULL
      WHERE g.org_id = $1 AND g.id = ANY($2::uuid[]) AND ${memberOf}
      ORDER BY a.device_id`,
    [orgId, groupIds],
  );
  const members = new Map(groupIds.map((id) => [id, [] as string[]]));
  for (const row of rows) members.get(row.group_id)?.push(row.device_id);
  return members;
}

/** The groups each device is in now. */
export async function groupsOfDevices(db: Db, orgId: string, deviceIds: string[]): Promise<Map<string, string[]>> {
  const { rows } = await db.query<{ group_id: string; device_id: string }>(
    `SELECT g.id AS group_id, a.device_id FROM device_access a
       JOIN device_groups g ON g.org_id = a.org_id
      WHERE a.org_id = $1 AND a.device_id = ANY($2::uuid[]) AND ${memberOf}
      ORDER BY g.name`,
    [orgId, deviceIds],
  );
  const groups = new Map(deviceIds.map((id) => [id, [] as string[]]));
  for (const row of rows) groups.get(row.device_id)?.push(row.group_id);
  return groups;
}

/** Whether the device is enrolled in this organisation. */
export async function isEnrolledDevice(db: Db, orgId: string, deviceId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    'SELECT 1 FROM device_access WHERE org_id = $1 AND device_id = $2 AND unenrolled_at IS NULL',
    [orgId, deviceId],
  );
  return rowCount === 1;
}
