import { Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import type { Role } from '@taskinbox/domain';
import { InjectPool } from '@taskinbox/database';
import { CurrentAccess } from '../access/current-access.service';
import { AccountConflict, LastAdmin } from '../auth.errors';
import { endSessions } from '../sessions/session.service';

export interface Member {
  id: string;
  email: string;
  name: string;
  role: Role;
  blocked: boolean;
  assignedOnly: boolean;
}

/**
 * The people of one organisation: their roles, removal and blocking. Each change takes effect on
 * the person's next request on every process, and ends their live streams (CurrentAccess).
 */
@Injectable()
export class MemberService {
  constructor(
    @InjectPool() private readonly pool: Pool,
    private readonly access: CurrentAccess,
  ) {}

  async list(orgId: string): Promise<Member[]> {
    const { rows } = await this.pool.query(
      `SELECT u.id, u.email, u.name, m.role, m.blocked_at IS NOT NULL AS blocked, m.assigned_only AS "assignedOnly"
         FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.org_id = $1 ORDER BY u.email`,
      [orgId],
    );
    return rows;
  }

  /** Role and scope (what is given); false when the person is not a member of the organisation. */
  changeRole(orgId: string, userId: string, change: { role?: Role; assignedOnly?: boolean }): Promise<boolean> {
    return this.access.change(async (db, touch) => {
      if (!(await lockMember(db, orgId, userId))) return false;
      await db.query(
        'UPDATE memberships SET role = coalesce($3, role), assigned_only = coalesce($4, assigned_only) WHERE org_id = $1 AND user_id = $2',
        [orgId, userId, change.role ?? null, change.assignedOnly ?? null],
      );
      await keepAnAdmin(db, orgId);
      touch(`user:${userId}`);
      return true;
    });
  }

  /** Blocking ends the person's sessions in this organisation; they cannot sign in to it until unblocked. */
  setBlocked(orgId: string, userId: string, blocked: boolean, by: string): Promise<boolean> {
    if (blocked && userId === by) return Promise.reject(new AccountConflict('You cannot block yourself.'));
    return this.access.change(async (db, touch) => {
      if (!(await lockMember(db, orgId, userId))) return false;
      await db.query(
        `UPDATE memberships SET blocked_at = CASE WHEN $3 THEN coalesce(blocked_at, now()) END WHERE org_id = $1 AND user_id = $2`,
        [orgId, userId, blocked],
      );
      await keepAnAdmin(db, orgId);
      if (blocked) await endSessions(db, touch, userId, { orgId });
      touch(`user:${userId}`);
      return true;
    });
  }

  /** Takes the person out of the organisation and its groups, and ends their sessions in it. Their account stays. */
  remove(orgId: string, userId: string): Promise<boolean> {
    return this.access.change(async (db, touch) => {
      if (!(await lockMember(db, orgId, userId))) return false;
      await db.query('DELETE FROM memberships WHERE org_id = $1 AND user_id = $2', [orgId, userId]);
      await db.query(
        'DELETE FROM user_group_members gm USING user_groups g WHERE gm.group_id = g.id AND g.org_id = $1 AND gm.user_id = $2',
        [orgId, userId],
      );
      await keepAnAdmin(db, orgId);
      await endSessions(db, touch, userId, { orgId });
      return true;
    });
  }
}

/**
 * Locks the organisation's memberships against concurrent changes (two admins demoting each
 * other at once must not leave none) and answers whether the person is a member.
 */
async function lockMember(db: PoolClient, orgId: string, userId: string): Promise<boolean> {
  await db.query('SELECT 1 FROM organisations WHERE id = $1 FOR UPDATE', [orgId]);
  const { rowCount } = await db.query('SELECT 1 FROM memberships WHERE org_id = $1 AND user_id = $2', [orgId, userId]);
  return rowCount === 1;
}

async function keepAnAdmin(db: PoolClient, orgId: string): Promise<void> {
  const { rowCount } = await db.query(
    "SELECT 1 FROM memberships WHERE org_id = $1 AND role = 'admin' AND blocked_at IS NULL LIMIT 1",
    [orgId],
  );
  if (rowCount === 0) throw new LastAdmin();
}
