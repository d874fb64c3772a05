import { createHash, randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { actorRef, type Principal } from '@taskinbox/auth';
import { type Actor, isVisibleTo, TaskNotFound, taskStreamName } from '@taskinbox/domain';
import type { EventStore } from '@taskinbox/event-store';
import { RejectedCommand } from '@taskinbox/http';
import { transparencyErrors } from '../transparency.errors';

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');
/** 32 random bytes, base64url: 256 bits, 43 characters. */
const tokenShape = /^[A-Za-z0-9_-]{43}$/;

export interface StatusLinkTarget {
  orgId: string;
  taskId: string;
}

/**
 * End-user status links. A link is a capability URL: a random token kept only as its hash, shown
 * once, read-only, for one task. One live link per task: asking again replaces it, DELETE
 * revokes it, and it stops working `linkTtlDays` after the task is completed or cancelled.
 */
export class StatusLinks {
  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
    private readonly publicUrl: string,
  ) {}

  async issue(principal: Principal, taskId: string): Promise<{ url: string }> {
    await this.mayShare(principal, taskId);
    const token = randomBytes(32).toString('base64url');
    await this.pool.query(
      `INSERT INTO status_links (task_id, org_id, token_sha256, created_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (task_id) DO UPDATE SET token_sha256 = EXCLUDED.token_sha256, created_by = EXCLUDED.created_by, created_at = now()`,
      [taskId, principal.orgId, sha256(token), actorRef(principal.actor)],
    );
    return { url: `${this.publicUrl}/status/${token}` };
  }

  async revoke(principal: Principal, taskId: string): Promise<void> {
    await this.mayShare(principal, taskId);
    await this.pool.query('DELETE FROM status_links WHERE task_id = $1 AND org_id = $2', [taskId, principal.orgId]);
  }

  /** The task a live token opens; unknown, revoked and expired tokens, and tasks made private since, are refused alike. */
  async open(token: string): Promise<StatusLinkTarget> {
    if (typeof token !== 'string' || !tokenShape.test(token)) throw transparencyErrors.statusLinkNotFound();
    const { rows } = await this.pool.query<{ org_id: string; task_id: string }>(
      `SELECT l.org_id, l.task_id
         FROM status_links l
         JOIN inbox_tasks t ON t.task_id = l.task_id AND t.org_id = l.org_id
         LEFT JOIN transparency_settings s ON s.org_id = l.org_id
        WHERE l.token_sha256 = $1 AND NOT t.private
          AND (coalesce(t.completed_at, t.cancelled_at) IS NULL
               OR coalesce(t.completed_at, t.cancelled_at) + make_interval(days => coalesce(s.link_ttl_days, 30)) > now())`,
      [sha256(token)],
    );
    if (rows.length === 0) throw transparencyErrors.statusLinkNotFound();
    return { orgId: rows[0].org_id, taskId: rows[0].task_id };
  }

  /**
   * A link shows the task to anyone who holds it, so only who may change the task may share it:
   * people who work tasks (the access rule checked the role) and, among services, its sender.
   * The task's own first event decides, so a link can be asked for right after the create.
   */
  private async mayShare(principal: Principal, taskId: string): Promise<void> {
    const [created] = await this.store.readStream(taskStreamName(taskId), { maxCount: 1 });
    const data = created?.data as { orgId?: string; private?: boolean; source?: Actor } | undefined;
    if (!data?.source || data.orgId !== principal.orgId || !isVisibleTo({ private: data.private, source: data.source }, principal.actor)) {
      throw new RejectedCommand(new TaskNotFound());
    }
    const { actor } = principal;
    if (actor.kind === 'service' && !(data.source.kind === 'service' && data.source.id === actor.id)) throw transparencyErrors.senderOnly();
    if (data.private) throw transparencyErrors.privateTask();
  }
}
