import { type DynamicModule, Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Agent } from 'node:https';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { CONFIG, type Config } from '@taskinbox/config';
import { PG_POOL } from '@taskinbox/database';
import { CheckpointFollower, EVENT_STORE, type EventStore } from '@taskinbox/event-store';
import { PROCESS_LOGGER } from '@taskinbox/http';
import { IngestModule, TaskCommandHandler } from '@taskinbox/ingest';
import { type Clock, systemClock } from '@taskinbox/oncall';
import { UrlGuard } from '@taskinbox/webhooks';
import { NotificationIntake } from './delivery/notification.intake';
import { NotificationDelivery } from './delivery/notification.delivery';
import { NotificationQueue, type NotificationQueueSettings } from './delivery/notification.queue';
import { MailSender } from './email/mail.sender';
import { NotificationController } from './inbox/notification.controller';
import { NotificationInbox } from './inbox/notification.service';
import { PreferenceController } from './preferences/preference.controller';
import { NotificationPreferences } from './preferences/preference.service';
import { PushSubscriptionController } from './push/push-subscription.controller';
import { PushSender } from './push/push.sender';
import { PushSubscriptions } from './push/push.subscriptions';
import { MetricsModule, MetricsRegistry, registerQueueDepth } from '@taskinbox/metrics';

const QUEUE_METRICS = Symbol('taskinbox.notifications.queue-metrics');

export interface NotificationsOptions extends NotificationQueueSettings {
  /** Notification time (quiet hours; tests move it); default the system clock. */
  clock: Clock;
  /** How often undelivered notifications (lost enqueues, quiet hours that ended) are enqueued again. */
  sweepIntervalMs: number;
  /** Tests trust their local push service's certificate with it. */
  pushAgent?: Agent;
}

const OPTIONS = Symbol('taskinbox.notifications.options');
const LOGGER = Symbol('taskinbox.notifications.logger');
const FOLLOWER = Symbol('taskinbox.notifications.follower');

/**
 * Notifications: from task events (assignments, escalations, new urgent tasks) to a list per
 * person in the app, Web Push and e-mail, by each person's preferences and quiet hours.
 * Delivery runs on a BullMQ queue. Needs ConfigModule, DatabaseModule, EventStoreModule and AuthModule.
 */
@Module({})
export class NotificationsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private sweeper?: NodeJS.Timeout;

  constructor(
    @Inject(OPTIONS) private readonly options: NotificationsOptions,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(FOLLOWER) private readonly follower: CheckpointFollower,
    private readonly queue: NotificationQueue,
    private readonly delivery: NotificationDelivery,
    private readonly mail: MailSender,
  ) {}

  static forRoot(overrides: Partial<NotificationsOptions> = {}): DynamicModule {
    const options: NotificationsOptions = {
      queueName: 'notifications',
      queuePrefix: 'bull',
      work: true,
      digestEveryMs: 3600_000,
      sweepIntervalMs: 60_000,
      clock: systemClock,
      ...overrides,
    };
    return {
      module: NotificationsModule,
      imports: [IngestModule, MetricsModule],
      controllers: [NotificationController, PushSubscriptionController, PreferenceController],
      providers: [
        {
          // Its depth for the operator's Prometheus (taskinbox_queue_jobs).
          provide: QUEUE_METRICS,
          inject: [MetricsRegistry, NotificationQueue],
          useFactory: (metrics: MetricsRegistry, queue: NotificationQueue) => {
            registerQueueDepth(metrics, 'notifications', () => queue.counts());
            return true;
          },
        },
        { provide: OPTIONS, useValue: options },
        {
          provide: LOGGER,
          inject: [PROCESS_LOGGER],
          useFactory: (logger: Logger) => logger.child({ component: 'notifications' }),
        },
        { provide: NotificationInbox, inject: [PG_POOL], useFactory: (pool: Pool) => new NotificationInbox(pool) },
        { provide: NotificationPreferences, inject: [PG_POOL], useFactory: (pool: Pool) => new NotificationPreferences(pool) },
        {
          provide: PushSubscriptions,
          inject: [PG_POOL, CONFIG],
          useFactory: (pool: Pool, config: Config) => new PushSubscriptions(pool, new UrlGuard(config.webhooks.allowedHosts)),
        },
        {
          provide: PushSender,
          inject: [PushSubscriptions, CONFIG, LOGGER],
          useFactory: (subscriptions: PushSubscriptions, config: Config, logger: Logger) =>
            new PushSender(subscriptions, config.notifications.vapid, logger, options.pushAgent),
        },
        { provide: MailSender, inject: [CONFIG], useFactory: (config: Config) => new MailSender(config.notifications) },
        {
          provide: NotificationQueue,
          inject: [CONFIG, LOGGER],
          useFactory: (config: Config, logger: Logger) => new NotificationQueue(config.redisUrl, options, logger),
        },
        {
          provide: NotificationDelivery,
          inject: [PG_POOL, NotificationPreferences, PushSender, MailSender, NotificationQueue, CONFIG],
          useFactory: (
            pool: Pool,
            preferences: NotificationPreferences,
            push: PushSender,
            mail: MailSender,
            queue: NotificationQueue,
            config: Config,
          ) => new NotificationDelivery(pool, preferences, push, mail, queue, options.clock, config.publicUrl),
        },
        {
          provide: NotificationIntake,
          inject: [PG_POOL, TaskCommandHandler, NotificationQueue],
          useFactory: (pool: Pool, tasks: TaskCommandHandler, queue: NotificationQueue) => new NotificationIntake(pool, tasks, queue),
        },
        {
          provide: FOLLOWER,
          inject: [PG_POOL, EVENT_STORE, NotificationIntake, LOGGER],
          useFactory: (pool: Pool, store: EventStore, intake: NotificationIntake, logger: Logger) =>
            new CheckpointFollower({
              pool,
              store,
              name: 'notifications',
              handle: (events) => intake.handle(events),
              onError: (error) => logger.error({ err: error }, 'notification intake failed; starting again'),
            }),
        },
      ],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.start({
      deliver: (job) => this.delivery.deliver(job.data.notificationId),
      digest: () => this.delivery.sendDigests(),
    });
    this.follower.start();
    if (this.options.work) {
      this.sweeper = setInterval(() => {
        this.delivery.sweep().catch((error: unknown) => this.logger.warn({ err: error }, 'notification sweep failed'));
      }, this.options.sweepIntervalMs);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.sweeper);
    await this.follower.stop();
    await this.queue.stop();
    this.mail.close();
  }
}
