import type { Pool } from 'pg';
import { oncallErrors } from '../oncall.errors';

export interface Person {
  id: string;
  name: string;
  email: string;
}

/** The people of an organisation who may be put on call: members who are not blocked. */
export class OrgPeople {
  constructor(private readonly pool: Pool) {}

  async find(orgId: string, ids: readonly string[]): Promise<Map<string, Person>> {
    if (ids.length === 0) return new Map();
    const { rows } = await this.pool.query<Person>(
      `SELECT u.id, u.name, u.email FROM memberships m JOIN users u ON u.id = m.user_id
       WHERE m.org_id = $1 AND m.blocked_at IS NULL AND u.id = ANY($2::uuid[])`,
      [orgId, [...new Set(ids)]],
    );
    return new Map(rows.map((row) => [row.id, row]));
  }

  /** Refuses, naming `field`, any id that is not a person of this organisation. */
  async check(orgId: string, field: string, ids: readonly string[]): Promise<void> {
    const found = await this.find(orgId, ids);
    const unknown = ids.find((id) => !found.has(id));
    if (unknown) throw oncallErrors.invalid(field, `names ${unknown}, who is not a member of this organisation`);
  }
}
