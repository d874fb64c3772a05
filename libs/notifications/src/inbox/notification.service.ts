import type { Pool } from 'pg';
import { notificationErrors } from '../notifications.errors';
import type { NotificationListView, NotificationView } from './notification.dto';

export interface NotificationRow {
  id: string;
  org_id: string;
  user_id: string;
  task_id: string;
  kind: 'assigned' | 'escalated' | 'urgent';
  urgency: 'low' | 'normal' | 'high' | 'urgent';
  title: string;
  body: string;
  created_at: Date;
  read_at: Date | null;
  held_until: Date | null;
  pushed_at: Date | null;
  emailed_at: Date | null;
  digest_pending: boolean;
}

/** A person's notifications in one organisation, as the app lists them. */
export class NotificationInbox {
  constructor(private readonly pool: Pool) {}

  async list(orgId: string, userId: string, unreadOnly = false): Promise<NotificationListView> {
    const [items, unread] = await Promise.all([
      this.pool.query<NotificationRow>(
        `SELECT * FROM notifications WHERE org_id = $1 AND user_id = $2 AND ($3::boolean IS FALSE OR read_at IS NULL)
         ORDER BY created_at DESC, id DESC LIMIT 100`,
        [orgId, userId, unreadOnly],
      ),
      this.pool.query<{ count: number }>(
        'SELECT count(*)::int AS count FROM notifications WHERE org_id = $1 AND user_id = $2 AND read_at IS NULL',
        [orgId, userId],
      ),
    ]);
    return { unread: unread.rows[0].count, items: items.rows.map(notificationView) };
  }

  async markRead(orgId: string, userId: string, id: string): Promise<NotificationView> {
    const { rows } = await this.pool.query<NotificationRow>(
      `UPDATE notifications SET read_at = coalesce(read_at, now()) WHERE org_id = $1 AND user_id = $2 AND id = $3 RETURNING *`,
      [orgId, userId, id],
    );
    if (rows.length === 0) throw notificationErrors.notificationNotFound();
    return notificationView(rows[0]);
  }

  async markAllRead(orgId: string, userId: string): Promise<void> {
    await this.pool.query('UPDATE notifications SET read_at = now() WHERE org_id = $1 AND user_id = $2 AND read_at IS NULL', [
      orgId,
      userId,
    ]);
  }
}

export const taskLink = (taskId: string): string => `/tasks/${taskId}`;

const iso = (date: Date | null): string | null => date?.toISOString() ?? null;

export const notificationView = (row: NotificationRow): NotificationView => ({
  id: row.id,
  taskId: row.task_id,
  kind: row.kind,
  urgency: row.urgency,
  title: row.title,
  body: row.body,
  link: taskLink(row.task_id),
  createdAt: row.created_at.toISOString(),
  readAt: iso(row.read_at),
  heldUntil: iso(row.held_until),
  pushedAt: iso(row.pushed_at),
  emailedAt: iso(row.emailed_at),
});
