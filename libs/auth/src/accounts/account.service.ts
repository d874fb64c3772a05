import { Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import type { Role } from '@taskinbox/domain';
import { InjectPool } from '@taskinbox/database';
import { CurrentAccess } from '../access/current-access.service';
import { AccountConflict, WrongPassword } from '../auth.errors';
import { PasswordHasher } from '../passwords/password.hasher';
import type { Principal } from '../principal';
import { endSessions } from '../sessions/session.service';
import { SignInThrottle } from '../sessions/sign-in.throttle';

export interface Organisation {
  id: string;
  slug: string;
  name: string;
}

export interface Membership extends Organisation {
  role: Role;
  blocked: boolean;
}

/**
 * Organisations and people's accounts: one account per e-mail across organisations, with a
 * password only its owner sets (by invitation, reset link or change). No admin sets or learns one.
 */
@Injectable()
export class AccountService {
  constructor(
    @InjectPool() private readonly pool: Pool,
    private readonly passwords: PasswordHasher,
    private readonly access: CurrentAccess,
    private readonly throttle: SignInThrottle,
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

  /**
   * The operator's bootstrap: the first admin of a new installation, with a generated password
   * that must be changed at first sign-in. Refused when the e-mail already has an account.
   */
  async createFirstAdmin(orgId: string, email: string, password: string): Promise<{ id: string; email: string }> {
    const id = uuidv7();
    const address = normaliseEmail(email);
    const passwordHash = await this.passwords.hash(password);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rowCount } = await client.query(
        `INSERT INTO users (id, email, name, password_hash, must_change_password) VALUES ($1, $2, 'Admin', $3, true)
         ON CONFLICT (email) DO NOTHING`,
        [id, address, passwordHash],
      );
      if (rowCount === 0) throw new AccountConflict(`${address} already has an account.`);
      await client.query(`INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'admin')`, [orgId, id]);
      await client.query('COMMIT');
      return { id, email: address };
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
    return { userId: user.id, memberships: await this.memberships(user.id) };
  }

  async memberships(userId: string): Promise<Membership[]> {
    const { rows } = await this.pool.query(
      `SELECT o.id, o.slug, o.name, m.role, m.blocked_at IS NOT NULL AS blocked
         FROM memberships m JOIN organisations o ON o.id = m.org_id
        WHERE m.user_id = $1 ORDER BY o.name`,
      [userId],
    );
    return rows;
  }

  /**
   * A person changes their own password, proving the current one (throttled like a sign-in).
   * Their other sessions, in every organisation, end; this one carries on.
   */
  async changePassword(principal: Principal, current: string, next: string, address: string): Promise<void> {
    const userId = principal.actor.id;
    const { rows } = await this.pool.query('SELECT email, password_hash FROM users WHERE id = $1', [userId]);
    const user = rows[0];
    const ticket = await this.throttle.attempt(user.email, address);
    if (!(await this.passwords.verify(user.password_hash, current))) throw new WrongPassword();
    await this.throttle.succeeded(ticket);
    if (current === next) throw new AccountConflict('Choose a new password that differs from the current one.');
    const passwordHash = await this.passwords.hash(next);
    await this.access.change(async (db, touch) => {
      await db.query('UPDATE users SET password_hash = $2, must_change_password = false WHERE id = $1', [userId, passwordHash]);
      await endSessions(db, touch, userId, { except: principal.session?.id });
    });
  }
}

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();
