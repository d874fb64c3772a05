import { Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { InjectPool } from '@taskinbox/database';
import { AccountConflict } from '../auth.errors';

export interface UserGroup {
  id: string;
  name: string;
  /** User ids. */
  members: string[];
}

const uniqueViolation = '23505';
const sameName = (name: string) => new AccountConflict(`A group named '${name}' already exists.`);

/** User groups of one organisation; they hold members of that organisation only. */
@Injectable()
export class GroupService {
  constructor(@InjectPool() private readonly pool: Pool) {}

  async create(orgId: string, name: string): Promise<{ id: string; name: string }> {
    const id = uuidv7();
    const { rowCount } = await this.pool.query(
      'INSERT INTO user_groups (id, org_id, name) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [id, orgId, name],
    );
    if (rowCount === 0) throw sameName(name);
    return { id, name };
  }

  async list(orgId: string): Promise<UserGroup[]> {
    const { rows } = await this.pool.query(
      `SELECT g.id, g.name, coalesce(array_agg(gm.user_id ORDER BY gm.user_id) FILTER (WHERE gm.user_id IS NOT NULL), '{}') AS members
         FROM user_groups g LEFT JOIN user_group_members gm ON gm.group_id = g.id
        WHERE g.org_id = $1 GROUP BY g.id ORDER BY g.name`,
      [orgId],
    );
    return rows;
  }

  /** False when the organisation has no such group. */
  async rename(orgId: string, groupId: string, name: string): Promise<boolean> {
    try {
      const { rowCount } = await this.pool.query('UPDATE user_groups SET name = $3 WHERE org_id = $1 AND id = $2', [orgId, groupId, name]);
      return rowCount === 1;
    } catch (error) {
      if ((error as { code?: string }).code === uniqueViolation) throw sameName(name);
      throw error;
    }
  }

  async delete(orgId: string, groupId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM user_groups WHERE org_id = $1 AND id = $2', [orgId, groupId]);
    return rowCount === 1;
  }

  /** Adds a member of the organisation to one of its groups; false if either is not in the organisation. */
  async addMember(orgId: string, groupId: string, userId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO user_group_members (group_id, user_id)
       SELECT g.id, m.user_id FROM user_groups g JOIN memberships m ON m.org_id = g.org_id
        WHERE g.org_id = $1 AND g.id = $2 AND m.user_id = $3
       ON CONFLICT DO NOTHING`,
      [orgId, groupId, userId],
    );
    // Already in the group counts as done.
    return rowCount === 1 || (await this.isMember(orgId, groupId, userId));
  }

  /** False when the group is not the organisation's or the person is not in it. */
  async removeMember(orgId: string, groupId: string, userId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `DELETE FROM user_group_members gm USING user_groups g
        WHERE gm.group_id = g.id AND g.org_id = $1 AND g.id = $2 AND gm.user_id = $3`,
      [orgId, groupId, userId],
    );
    return rowCount === 1;
  }

  private async isMember(orgId: string, groupId: string, userId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `SELECT 1 FROM user_group_members gm JOIN user_groups g ON g.id = gm.group_id
        WHERE g.org_id = $1 AND g.id = $2 AND gm.user_id = $3`,
      [orgId, groupId, userId],
    );
    return rowCount === 1;
  }
}
