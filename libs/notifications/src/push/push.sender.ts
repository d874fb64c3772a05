import type { Agent } from 'node:https';
import type { Logger } from 'pino';
import webpush, { WebPushError } from 'web-push';
import type { Config } from '@taskinbox/config';
import type { PushSubscriptions } from './push.subscriptions';

export interface PushMessage {
  title: string;
  body: string;
  /** The deep link the notification opens. */
  url: string;
  /** RFC 8030 Topic, also the notification's tag on the device: a newer message replaces an older one. */
  topic: string;
  notificationId: string;
}

/**
 * Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm encryption (RFC 8291) through
 * `web-push`. A push service answering 404 or 410 says the subscription is gone: it is deleted.
 */
export class PushSender {
  constructor(
    private readonly subscriptions: PushSubscriptions,
    private readonly vapid: Config['notifications']['vapid'],
    private readonly logger: Logger,
    /** Tests trust their own push service's certificate through it. */
    private readonly agent?: Agent,
  ) {}

  get enabled(): boolean {
    return this.vapid !== undefined;
  }

  /** Sends to every browser of the person; true when at least one push service accepted it. */
  async send(
    userId: string,
    message: PushMessage,
    options: { urgency: 'very-low' | 'low' | 'normal' | 'high'; TTL: number },
  ): Promise<boolean> {
    if (!this.vapid) return false;
    let delivered = false;
    for (const subscription of await this.subscriptions.of(userId)) {
      try {
        await this.subscriptions.checkEndpoint(subscription.endpoint);
        await webpush.sendNotification(
          { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
          JSON.stringify(message),
          {
            TTL: options.TTL,
            urgency: options.urgency,
            topic: message.topic,
            contentEncoding: 'aes128gcm',
            vapidDetails: this.vapid,
            timeout: 10_000,
            ...(this.agent ? { agent: this.agent } : {}),
          },
        );
        delivered = true;
      } catch (error) {
        if (error instanceof WebPushError && (error.statusCode === 404 || error.statusCode === 410)) {
          await this.subscriptions.drop(subscription.id);
          this.logger.info({ subscription: subscription.id, status: error.statusCode }, 'push subscription gone; dropped');
        } else {
          this.logger.warn({ err: error, subscription: subscription.id }, 'push failed');
        }
      }
    }
    return delivered;
  }
}
