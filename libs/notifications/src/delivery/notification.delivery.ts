import type { Pool } from 'pg';
import type { Clock } from '@taskinbox/oncall';
import type { MailSender } from '../email/mail.sender';
import { type NotificationRow, taskLink } from '../inbox/notification.service';
import type { NotificationPreferences } from '../preferences/preference.service';
import { planDelivery, pushOptions, quietUntil, topicOf } from '../pure/delivery-plan';
import type { PushSender } from '../push/push.sender';
import type { NotificationQueue } from './notification.queue';

/**
 * Delivers one notification the way its person wants it at this moment: push and e-mail now,
 * kept for the digest, or held back by quiet hours (the sweep enqueues it again once they end).
 */
export class NotificationDelivery {
  constructor(
    private readonly pool: Pool,
    private readonly preferences: NotificationPreferences,
    private readonly push: PushSender,
    private readonly mail: MailSender,
    private readonly queue: NotificationQueue,
    private readonly clock: Clock,
    private readonly publicUrl: string,
  ) {}

  async deliver(notificationId: string): Promise<void> {
    const { rows } = await this.pool.query<NotificationRow & { email: string }>(
      `SELECT n.*, u.email FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.id = $1 AND n.delivered_at IS NULL`,
      [notificationId],
    );
    const notification = rows[0];
    if (!notification) return;
    const now = this.clock.now();
    const plan = planDelivery(notification.urgency, await this.preferences.of(notification.user_id), now.getTime());
    if (plan.holdUntil !== null) {
      await this.pool.query('UPDATE notifications SET held_until = $2, digest_pending = $3 WHERE id = $1', [
        notificationId,
        new Date(plan.holdUntil),
        plan.digest,
      ]);
      return;
    }
    // Read in the app meanwhile: the person knows; only the record stays.
    const wanted = notification.read_at ? [] : plan.now;
    const pushed = wanted.includes('push')
      ? await this.push.send(
          notification.user_id,
          {
            title: notification.title,
            body: notification.body,
            url: taskLink(notification.task_id),
            topic: topicOf(notification.task_id),
            notificationId,
          },
          pushOptions(notification.urgency),
        )
      : false;
    const emailed = wanted.includes('email')
      ? await this.mail.send(notification.email, notification.title, [this.mailItem(notification)])
      : false;
    await this.pool.query(
      `UPDATE notifications SET delivered_at = $2, held_until = NULL, digest_pending = $3,
              pushed_at = CASE WHEN $4 THEN $2::timestamptz END, emailed_at = CASE WHEN $5 THEN $2::timestamptz END
        WHERE id = $1`,
      [notificationId, now, plan.digest && !notification.read_at, pushed, emailed],
    );
  }

  /** One e-mail per person with the low-urgency notifications kept since the last digest, outside their quiet hours. */
  async sendDigests(): Promise<void> {
    const now = this.clock.now();
    const { rows: people } = await this.pool.query<{ user_id: string; email: string }>(
      `SELECT DISTINCT n.user_id, u.email FROM notifications n JOIN users u ON u.id = n.user_id WHERE n.digest_pending`,
    );
    for (const person of people) {
      if (quietUntil(await this.preferences.of(person.user_id), now.getTime()) !== null) continue;
      const { rows } = await this.pool.query<NotificationRow>(
        `SELECT * FROM notifications WHERE user_id = $1 AND digest_pending AND read_at IS NULL ORDER BY created_at LIMIT 100`,
        [person.user_id],
      );
      if (rows.length > 0) {
        const subject = rows.length === 1 ? `Digest: ${rows[0].title}` : `Digest: ${rows.length} things for you`;
        await this.mail.send(person.email, subject, rows.map((row) => this.mailItem(row)));
      }
      await this.pool.query(
        `UPDATE notifications SET digest_pending = false, emailed_at = CASE WHEN id = ANY($2::uuid[]) THEN $3 ELSE emailed_at END
          WHERE user_id = $1 AND digest_pending`,
        [person.user_id, rows.map((row) => row.id), now],
      );
    }
  }

  /** Enqueues what is waiting: enqueues lost on the way and notifications whose quiet hours ended. */
  async sweep(): Promise<void> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT id FROM notifications
        WHERE delivered_at IS NULL AND (held_until IS NULL OR held_until <= $1) AND created_at > $1::timestamptz - interval '1 day'
        ORDER BY created_at LIMIT 1000`,
      [this.clock.now()],
    );
    await this.queue.deliver(rows.map((row) => row.id));
  }

  private mailItem(notification: NotificationRow) {
    return {
      title: notification.title,
      body: notification.body,
      url: `${this.publicUrl}${taskLink(notification.task_id)}`,
    };
  }
}
