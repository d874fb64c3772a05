import type { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import type { UrlGuard } from '@taskinbox/webhooks';
import { notificationErrors } from '../notifications.errors';
import type { PushSubscriptionDto, PushSubscriptionView } from './push-subscription.dto';

export interface StoredSubscription {
  id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** People's browsers that asked for Web Push. An endpoint belongs to one browser, so to the last person who registered it. */
export class PushSubscriptions {
  constructor(
    private readonly pool: Pool,
    private readonly guard: UrlGuard,
  ) {}

  async register(userId: string, body: PushSubscriptionDto): Promise<PushSubscriptionView> {
    await this.checkEndpoint(body.endpoint);
    const { rows } = await this.pool.query<{ id: string; endpoint: string; created_at: Date }>(
      `INSERT INTO push_subscriptions (id, user_id, endpoint, p256dh, auth) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (endpoint) DO UPDATE SET user_id = EXCLUDED.user_id, p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth
       RETURNING id, endpoint, created_at`,
      [uuidv7(), userId, body.endpoint, body.keys.p256dh, body.keys.auth],
    );
    return { id: rows[0].id, endpoint: rows[0].endpoint, createdAt: rows[0].created_at.toISOString() };
  }

  async unregister(userId: string, endpoint: string): Promise<void> {
    const { rowCount } = await this.pool.query('DELETE FROM push_subscriptions WHERE user_id = $1 AND endpoint = $2', [
      userId,
      endpoint,
    ]);
    if (rowCount === 0) throw notificationErrors.subscriptionNotFound();
  }

  async of(userId: string): Promise<StoredSubscription[]> {
    const { rows } = await this.pool.query<StoredSubscription>(
      'SELECT id, endpoint, p256dh, auth FROM push_subscriptions WHERE user_id = $1 ORDER BY created_at',
      [userId],
    );
    return rows;
  }

  /** The push service said the subscription is gone (404/410). */
  async drop(id: string): Promise<void> {
    await this.pool.query('DELETE FROM push_subscriptions WHERE id = $1', [id]);
  }

  /** Push endpoints are URLs the server will call: the webhooks' rules on addresses apply (WEBHOOK_ALLOWED_HOSTS). */
  async checkEndpoint(endpoint: string): Promise<void> {
    try {
      await this.guard.checkUrl(endpoint);
    } catch (error) {
      throw notificationErrors.invalid('endpoint', `is refused: ${(error as Error).message.replace(/^Webhook URL refused /, '')}`);
    }
  }
}
