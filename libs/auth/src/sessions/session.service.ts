import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Pool, PoolClient } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { type Config, InjectConfig, jwtSecretOf } from '@taskinbox/config';
import { InjectPool } from '@taskinbox/database';
import { CurrentAccess, type SessionAccess, type Touch } from '../access/current-access.service';
import type { Membership } from '../accounts/account.service';
import type { Principal } from '../principal';

type SignedInOrganisation = Omit<Membership, 'blocked'>;

/** A new session and where it belongs: what sign-in and accepting an invitation answer. */
export interface SessionAnswer {
  accessToken: string;
  expiresIn: number;
  organisation: SignedInOrganisation;
  /** Every organisation the person may sign in to. */
  organisations: SignedInOrganisation[];
}

/** What the token carries: who, where and which session. The role is never taken from it. */
interface SessionClaims {
  sub: string;
  org: string;
  sid: string;
}

const housekeepingMs = 3600_000;

/**
 * Sessions of people using the SPA: a signed token naming a row in `sessions`, bound to one
 * organisation. The row can be ended (sign-out, password change, removal, blocking), and every
 * request reads the current membership through CurrentAccess.
 */
@Injectable()
export class SessionService implements OnApplicationShutdown {
  private readonly housekeeping: NodeJS.Timeout;

  constructor(
    private readonly jwt: JwtService,
    @InjectConfig() private readonly config: Config,
    @InjectPool() private readonly pool: Pool,
    private readonly access: CurrentAccess,
  ) {
    // Ended and expired rows are kept a day (for whoever looks into an incident), then dropped.
    this.housekeeping = setInterval(
      () => void this.pool.query("DELETE FROM sessions WHERE expires_at < now() - interval '1 day' OR ended_at < now() - interval '1 day'").catch(() => undefined),
      housekeepingMs,
    );
    this.housekeeping.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.housekeeping);
  }

  private async issue(userId: string, orgId: string, db: Pool | PoolClient = this.pool): Promise<{ accessToken: string; expiresIn: number }> {
    const sid = uuidv7();
    const ttl = this.config.jwtTtlSeconds;
    await db.query(
      `INSERT INTO sessions (id, user_id, org_id, expires_at) VALUES ($1, $2, $3, now() + make_interval(secs => $4))`,
      [sid, userId, orgId, ttl],
    );
    const claims: SessionClaims = { sub: userId, org: orgId, sid };
    return { accessToken: this.jwt.sign(claims, { secret: jwtSecretOf(this.config), expiresIn: ttl }), expiresIn: ttl };
  }

  /** Starts a session in `orgId` (in `db`'s transaction when given) with the answer a sign-in gives. */
  async signIn(userId: string, orgId: string, db: Pool | PoolClient = this.pool): Promise<SessionAnswer> {
    const { rows } = await db.query(
      `SELECT o.id, o.slug, o.name, m.role FROM memberships m JOIN organisations o ON o.id = m.org_id
        WHERE m.user_id = $1 AND m.blocked_at IS NULL ORDER BY o.name`,
      [userId],
    );
    const organisation = rows.find((row) => row.id === orgId);
    if (!organisation) throw new Error(`signIn: ${userId} is no unblocked member of ${orgId}`);
    return { ...(await this.issue(userId, orgId, db)), organisation, organisations: rows };
  }

  /** The principal for a valid token of a live session; null for an ended, expired, forged or malformed one. */
  async verify(token: string): Promise<Principal | null> {
    let claims: SessionClaims;
    try {
      claims = this.jwt.verify<SessionClaims>(token, { secret: jwtSecretOf(this.config), algorithms: ['HS256'] });
    } catch {
      return null;
    }
    if (typeof claims.sid !== 'string') return null;
    const access = await this.access.ofSession(claims.sid);
    if (!access || access.userId !== claims.sub || access.orgId !== claims.org) return null;
    return toPrincipal(access);
  }

  /** Sign-out: the session ends on every process. */
  async end(principal: Principal): Promise<void> {
    if (!principal.session) return;
    const sessionId = principal.session.id;
    await this.access.change(async (db, touch) => {
      await db.query('UPDATE sessions SET ended_at = now() WHERE id = $1 AND ended_at IS NULL', [sessionId]);
      touch(`user:${principal.actor.id}`);
    });
  }
}

/**
 * Ends a person's open sessions, in one organisation or in all, but `except` one; inside an
 * access change, so every process drops them.
 */
export async function endSessions(
  db: PoolClient,
  touch: Touch,
  userId: string,
  options: { orgId?: string; except?: string } = {},
): Promise<void> {
  await db.query(
    `UPDATE sessions SET ended_at = now()
      WHERE user_id = $1 AND ended_at IS NULL AND ($2::uuid IS NULL OR org_id = $2) AND ($3::uuid IS NULL OR id <> $3)`,
    [userId, options.orgId ?? null, options.except ?? null],
  );
  touch(`user:${userId}`);
}

/** The one place a session's access becomes a principal, with its membership's scope. */
function toPrincipal(access: SessionAccess): Principal {
  return {
    orgId: access.orgId,
    actor: { kind: 'user', id: access.userId, role: access.role },
    scopes: [],
    ...(access.assignedTo ? { assignedTo: access.assignedTo } : {}),
    session: { id: access.sessionId, expiresAt: access.expiresAt.toISOString(), mustChangePassword: access.mustChangePassword },
  };
}
