import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';
import { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import type { Role } from '@taskinbox/domain';
import { InjectPool } from '@taskinbox/database';

export interface Organisation {
  id: string;
  slug: string;
  name: string;
}

export interface Membership extends Organisation {
  role: Role;
}

export interface Member {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export class AccountConflict extends Error {
  readonly code = 'account_conflict';
}

// A valid argon2 hash to verify against when the email is unknown, so a login for a
// missing user costs the same time as one with a wrong password.
const decoyHash = hash('decoy password that never matches');

/** Organisations, users, their roles and user groups. */
@Injectable()
export class AccountService {
  constructor(@InjectPool() private readonly pool: Pool) {}

  async createOrganisation(slug: string, name: string): Promise<Organisation> {
    const id = uuidv7();
    const { rowCount } = await this.pool.query(
      'INSERT INTO organisations (id, slug, name) VALUES ($1, $2, $3) ON CONFLICT (slug) DO NOTHING',
      [id, slug, name],
    );
    if (rowCount === 0) throw new AccountConflict(`An organisation with slug '${slug}' already exists.`);
    return { id, slug, name };
  }

  async findOrganisation(slugOrId: string): Promise<Organisation | null> {
    const { rows } = await this.pool.query(
      'SELECT id, slug, name FROM organisations WHERE slug = $1 OR id::text = $1',
      [slugOrId],
    );
    return rows[0] ?? null;
  }

  /** Creates the user if the email is new, then gives them `role` in the organisation. */
  async addMember(orgId: string, input: { email: string; name: string; password: string; role: Role }): Promise<Member> {
    const email = input.email.trim().toLowerCase();
    const passwordHash = await hash(input.password);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query(
        `INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4)
         ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email
         RETURNING id, name`,
        [uuidv7(), email, input.name, passwordHash],
      );
      const user = rows[0];
      const added = await client.query(
        'INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [orgId, user.id, input.role],
      );
      if (added.rowCount === 0) throw new AccountConflict(`${email} is already a member of this organisation.`);
      await client.query('COMMIT');
      return { id: user.id, email, name: user.name, role: input.role };
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  async listMembers(orgId: string): Promise<Member[]> {
    const { rows } = await this.pool.query(
      `SELECT u.id, u.email, u.name, m.role FROM memberships m JOIN users u ON u.id = m.user_id
       WHERE m.org_id = $1 ORDER BY u.email`,
      [orgId],
    );
    return rows;
  }

  async changeRole(orgId: string, userId: string, role: Role): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'UPDATE memberships SET role = $3 WHERE org_id = $1 AND user_id = $2',
      [orgId, userId, role],
    );
    return rowCount === 1;
  }

  /** The user's id and memberships when the password is right; null otherwise. */
  async checkPassword(email: string, password: string): Promise<{ userId: string; memberships: Membership[] } | null> {
    const { rows } = await this.pool.query('SELECT id, password_hash FROM users WHERE email = $1', [
      email.trim().toLowerCase(),
    ]);
    const user = rows[0];
    const ok = await verify(user?.password_hash ?? (await decoyHash), password);
    if (!user || !ok) return null;
    const memberships = await this.pool.query(
      `SELECT o.id, o.slug, o.name, m.role FROM memberships m JOIN organisations o ON o.id = m.org_id
       WHERE m.user_id = $1 ORDER BY o.name`,
      [user.id],
    );
    return { userId: user.id, memberships: memberships.rows };
  }

  async createGroup(orgId: string, name: string): Promise<{ id: string; name: string }> {
    const id = uuidv7();
    const { rowCount } = await this.pool.query(
      'INSERT INTO user_groups (id, org_id, name) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [id, orgId, name],
    );
    if (rowCount === 0) throw new AccountConflict(`A group named '${name}' already exists.`);
    return { id, name };
  }

  async listGroups(orgId: string): Promise<{ id: string; name: string; members: string[] }[]> {
    const { rows } = await this.pool.query(
      `SELECT g.id, g.name, coalesce(array_agg(gm.user_id) FILTER (WHERE gm.user_id IS NOT NULL), '{}') AS members
       FROM user_groups g LEFT JOIN user_group_members gm ON gm.group_id = g.id
       WHERE g.org_id = $1 GROUP BY g.id ORDER BY g.name`,
      [orgId],
    );
    return rows;
  }

  /** Adds a member of the organisation to one of its groups; false if either is not in the organisation. */
  async addToGroup(orgId: string, groupId: string, userId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO user_group_members (group_id, user_id)
       SELECT g.id, m.user_id FROM user_groups g JOIN memberships m ON m.org_id = g.org_id
       WHERE g.org_id = $1 AND g.id = $2 AND m.user_id = $3
       ON CONFLICT DO NOTHING`,
      [orgId, groupId, userId],
    );
    return rowCount === 1;
  }
}
