import { Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import type { Role } from '@taskinbox/domain';
import { InjectPool } from '@taskinbox/database';
import { AccountConflict } from '../auth.errors';
import { PasswordHasher } from '../passwords/password.hasher';

export interface Organisation {
  id: string;
  slug: string;
  name: string;
}

export interface Membership extends Organisation {
  role: Role;
  blocked: boolean;
}

/** Organisations and people's accounts (one account per e-mail, across organisations). */
@Injectable()
export class AccountService {
  constructor(
    @InjectPool() private readonly pool: Pool,
    private readonly passwords: PasswordHasher,
  ) {}

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
  async addMember(orgId: string, input: { email: string; name: string; password: string; role: Role }): Promise<{ id: string; email: string; name: string; role: Role }> {
    const email = input.email.trim().toLowerCase();
    const passwordHash = await this.passwords.hash(input.password);
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

  /** The user's id and memberships (blocked ones marked) when the password is right; null otherwise. */
  async checkPassword(email: string, password: string): Promise<{ userId: string; memberships: Membership[] } | null> {
    const { rows } = await this.pool.query('SELECT id, password_hash FROM users WHERE email = $1', [normaliseEmail(email)]);
    const user = rows[0];
    if (!(await this.passwords.verify(user?.password_hash, password))) return null;
    const memberships = await this.pool.query(
      `SELECT o.id, o.slug, o.name, m.role, m.blocked_at IS NOT NULL AS blocked
         FROM memberships m JOIN organisations o ON o.id = m.org_id
        WHERE m.user_id = $1 ORDER BY o.name`,
      [user.id],
    );
    return { userId: user.id, memberships: memberships.rows };
  }
}

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();
