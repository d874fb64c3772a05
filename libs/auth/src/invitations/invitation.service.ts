import { Injectable, UnauthorizedException } from '@nestjs/common';
import type { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { type Config, InjectConfig } from '@taskinbox/config';
import { InjectPool } from '@taskinbox/database';
import type { Role } from '@taskinbox/domain';
import { normaliseEmail } from '../accounts/account.service';
import { AccountConflict, AccountExists, LinkInvalid } from '../auth.errors';
import { linkTo, linkTokenHash, newLinkToken } from '../links/one-time-link';
import { PasswordHasher } from '../passwords/password.hasher';
import { type SessionAnswer, SessionService } from '../sessions/session.service';
import { SignInThrottle } from '../sessions/sign-in.throttle';

const validForMs = 7 * 24 * 3600_000;
const invalid = () => new LinkInvalid('invitation');

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  createdAt: string;
  expiresAt: string;
}

export interface IssuedInvitation extends Omit<Invitation, 'createdAt'> {
  /** The single-use link, shown this once (until taskinbox sends e-mail, the admin passes it on). */
  link: string;
}

export interface Acceptance {
  password: string;
  /** True for "I'm new here": creates the account. False: joins with the account's own password. */
  newAccount: boolean;
  /** A new account's name. */
  name?: string;
}

/**
 * An admin invites an e-mail with a role; the invitee joins through a single-use, expiring link,
 * as a new account with a password of their own or as their existing account after proving its
 * password. The admin's answer is the same whether or not the e-mail has an account anywhere.
 */
@Injectable()
export class InvitationService {
  constructor(
    @InjectPool() private readonly pool: Pool,
    @InjectConfig() private readonly config: Config,
    private readonly passwords: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly throttle: SignInThrottle,
  ) {}

  /** Replaces any pending invitation of the same e-mail to the organisation. 409 when already a member. */
  async invite(orgId: string, email: string, role: Role, invitedBy: string | null): Promise<IssuedInvitation> {
    const address = normaliseEmail(email);
    const { token, sha256 } = newLinkToken();
    const id = uuidv7();
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const member = await client.query(
        'SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = $1 AND u.email = $2',
        [orgId, address],
      );
      if (member.rowCount) throw new AccountConflict(`${address} is already a member of this organisation.`);
      await client.query(
        'UPDATE invitations SET revoked_at = now() WHERE org_id = $1 AND email = $2 AND accepted_at IS NULL AND revoked_at IS NULL',
        [orgId, address],
      );
      const { rows } = await client.query(
        `INSERT INTO invitations (id, org_id, email, role, token_sha256, invited_by, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7)) RETURNING expires_at`,
        [id, orgId, address, role, sha256, invitedBy, validForMs / 1000],
      );
      await client.query('COMMIT');
      return { id, email: address, role, expiresAt: rows[0].expires_at.toISOString(), link: linkTo(this.config.publicUrl, 'invitation', token) };
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  /** Invitations not yet accepted, withdrawn or expired. */
  async pending(orgId: string): Promise<Invitation[]> {
    const { rows } = await this.pool.query(
      `SELECT id, email, role, created_at, expires_at FROM invitations
        WHERE org_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now() ORDER BY created_at`,
      [orgId],
    );
    return rows.map((row) => ({ id: row.id, email: row.email, role: row.role, createdAt: row.created_at.toISOString(), expiresAt: row.expires_at.toISOString() }));
  }

  /** Withdraws a pending invitation; false when the organisation has none with that id. */
  async revoke(orgId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'UPDATE invitations SET revoked_at = now() WHERE org_id = $1 AND id = $2 AND accepted_at IS NULL AND revoked_at IS NULL',
      [orgId, id],
    );
    return rowCount === 1;
  }

  /** What the link invites to, for the page that accepts it. */
  async lookup(token: string): Promise<{ email: string; role: Role; organisation: { name: string }; expiresAt: string }> {
    const { rows } = await this.pool.query(
      `SELECT i.email, i.role, i.expires_at, o.name FROM invitations i JOIN organisations o ON o.id = i.org_id
        WHERE i.token_sha256 = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now()`,
      [linkTokenHash(token)],
    );
    const row = rows[0];
    if (!row) throw invalid();
    return { email: row.email, role: row.role, organisation: { name: row.name }, expiresAt: row.expires_at.toISOString() };
  }

  /** Joins the organisation and signs in to it. The link works once; a wrong password leaves it usable. */
  async accept(token: string, acceptance: Acceptance, address: string): Promise<SessionAnswer> {
    const sha256 = linkTokenHash(token);
    const { rows } = await this.pool.query(
      `SELECT email FROM invitations WHERE token_sha256 = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()`,
      [sha256],
    );
    if (!rows[0]) throw invalid();
    const email: string = rows[0].email;
    // The slow part, before any row is locked: hash the new password or check the existing one.
    let newHash: string | null = null;
    if (acceptance.newAccount) {
      newHash = await this.passwords.hash(acceptance.password);
    } else {
      const ticket = await this.throttle.attempt(email, address);
      const user = await this.pool.query('SELECT password_hash FROM users WHERE email = $1', [email]);
      if (!(await this.passwords.verify(user.rows[0]?.password_hash, acceptance.password))) {
        throw new UnauthorizedException('That password does not match an account for this e-mail. New to taskinbox? Choose “I’m new here”.');
      }
      await this.throttle.succeeded(ticket);
    }

    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const locked = await client.query(
        `SELECT id, org_id, role FROM invitations
          WHERE token_sha256 = $1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now() FOR UPDATE`,
        [sha256],
      );
      const invitation = locked.rows[0];
      if (!invitation) throw invalid();
      let userId: string;
      if (newHash) {
        const created = await client.query(
          `INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4) ON CONFLICT (email) DO NOTHING RETURNING id`,
          [uuidv7(), email, acceptance.name ?? email, newHash],
        );
        if (!created.rows[0]) throw new AccountExists();
        userId = created.rows[0].id;
      } else {
        userId = (await client.query('SELECT id FROM users WHERE email = $1', [email])).rows[0].id;
      }
      const joined = await client.query('INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
        invitation.org_id,
        userId,
        invitation.role,
      ]);
      if (joined.rowCount === 0) throw new AccountConflict(`${email} is already a member of this organisation.`);
      await client.query('UPDATE invitations SET accepted_at = now(), accepted_by = $2 WHERE id = $1', [invitation.id, userId]);
      const answer = await this.sessions.signIn(userId, invitation.org_id, client);
      await client.query('COMMIT');
      return answer;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }
}
