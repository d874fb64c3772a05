import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { type Config, InjectConfig } from '@taskinbox/config';
import { InjectPool } from '@taskinbox/database';
import { CurrentAccess } from '../access/current-access.service';
import { normaliseEmail } from '../accounts/account.service';
import { AccountShared, LinkInvalid } from '../auth.errors';
import { linkTo, linkTokenHash, newLinkToken } from '../links/one-time-link';
import { PasswordHasher } from '../passwords/password.hasher';
import { endSessions } from '../sessions/session.service';

const validForMs = 24 * 3600_000;
const invalid = () => new LinkInvalid('password reset');

export interface IssuedReset {
  /** The single-use link, shown this once. */
  link: string;
  expiresAt: string;
}

/**
 * Password resets by a single-use, expiring link that an admin (for a person only their
 * organisation has) or the operator's CLI issues. Whoever opens it sets the password; every
 * session of the account ends. A new link replaces older unused ones.
 */
@Injectable()
export class PasswordResetService {
  constructor(
    @InjectPool() private readonly pool: Pool,
    @InjectConfig() private readonly config: Config,
    private readonly passwords: PasswordHasher,
    private readonly access: CurrentAccess,
  ) {}

  /**
   * For a member of the admin's organisation. Refused (409 account_shared) when the account also
   * belongs to another organisation: one organisation's admin must not take over someone's access to another.
   * Null when the person is not a member.
   */
  async issueForMember(orgId: string, userId: string, issuedBy: string): Promise<IssuedReset | null> {
    const { rows } = await this.pool.query(
      `SELECT bool_or(org_id = $1) AS here, bool_or(org_id <> $1) AS elsewhere FROM memberships WHERE user_id = $2`,
      [orgId, userId],
    );
    if (!rows[0]?.here) return null;
    if (rows[0].elsewhere) throw new AccountShared();
    return this.issue(userId, issuedBy);
  }

  /** The operator's reset (CLI); null when no account has the e-mail. */
  async issueForEmail(email: string): Promise<IssuedReset | null> {
    const { rows } = await this.pool.query('SELECT id FROM users WHERE email = $1', [normaliseEmail(email)]);
    return rows[0] ? this.issue(rows[0].id, null) : null;
  }

  async lookup(token: string): Promise<{ email: string; expiresAt: string }> {
    const { rows } = await this.pool.query(
      `SELECT u.email, r.expires_at FROM password_resets r JOIN users u ON u.id = r.user_id
        WHERE r.token_sha256 = $1 AND r.used_at IS NULL AND r.expires_at > now()`,
      [linkTokenHash(token)],
    );
    if (!rows[0]) throw invalid();
    return { email: rows[0].email, expiresAt: rows[0].expires_at.toISOString() };
  }

  /** Sets the password once; every session of the account ends, on every process. */
  async complete(token: string, password: string): Promise<void> {
    const sha256 = linkTokenHash(token);
    await this.lookup(token);
    const passwordHash = await this.passwords.hash(password);
    await this.access.change(async (db, touch) => {
      const { rows } = await db.query(
        `UPDATE password_resets SET used_at = now()
          WHERE token_sha256 = $1 AND used_at IS NULL AND expires_at > now() RETURNING user_id`,
        [sha256],
      );
      if (!rows[0]) throw invalid();
      const userId: string = rows[0].user_id;
      await db.query('UPDATE users SET password_hash = $2, must_change_password = false WHERE id = $1', [userId, passwordHash]);
      await endSessions(db, touch, userId);
    });
  }

  private async issue(userId: string, issuedBy: string | null): Promise<IssuedReset> {
    const { token, sha256 } = newLinkToken();
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('DELETE FROM password_resets WHERE user_id = $1 AND used_at IS NULL', [userId]);
      const { rows } = await client.query(
        `INSERT INTO password_resets (id, user_id, token_sha256, issued_by, expires_at)
         VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5)) RETURNING expires_at`,
        [uuidv7(), userId, sha256, issuedBy, validForMs / 1000],
      );
      await client.query('COMMIT');
      return { link: linkTo(this.config.publicUrl, 'reset-password', token), expiresAt: rows[0].expires_at.toISOString() };
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }
}
