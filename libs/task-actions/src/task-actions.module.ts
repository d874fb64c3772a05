import { type BeforeApplicationShutdown, type DynamicModule, Inject, Module, type OnApplicationBootstrap, Optional } from '@nestjs/common';
import type { Pool } from 'pg';
import { CONFIG, type Config } from '@taskinbox/config';
import { PG_POOL } from '@taskinbox/database';
import { EVENT_STORE, type EventStore } from '@taskinbox/event-store';
import type { Logger } from 'pino';
import { PROCESS_LOGGER } from '@taskinbox/http';
import { IngestModule, TaskCommandHandler } from '@taskinbox/ingest';
import { TaskTypeCatalog, TaskTypesModule } from '@taskinbox/task-types';
import { SecretCipher, UrlGuard, WebhookSender } from '@taskinbox/webhooks';
import { ActionRunner } from './running/action.runner';
import { ActionWorker } from './running/action.worker';
import { ActionSecretController } from './secrets/action-secret.controller';
import { ActionSecrets } from './secrets/action-secret.store';
import { TASK_ACTIONS_OPTIONS, type TaskActionsOptions, taskActionsOptions } from './task-actions.options';
import { MetricsModule, MetricsRegistry, registerQueueDepth } from '@taskinbox/metrics';

const QUEUE_METRICS = Symbol('taskinbox.task-actions.queue-metrics');

/**
 * Runs custom actions of task types: the organisation's signing secret (/api/settings/action-secret)
 * and, unless `work: false`, the worker that makes requested actions' calls through the webhooks'
 * sender and SSRF guard (WEBHOOK_ALLOWED_HOSTS applies) and records their outcomes. Requests
 * themselves are a task command (POST /api/tasks/{id}/actions/{key}, libs/ingest). Needs
 * ConfigModule (with WEBHOOK_SECRET_KEY), DatabaseModule, EventStoreModule and AuthModule.
 */
@Module({})
export class TaskActionsModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(TASK_ACTIONS_OPTIONS) private readonly options: TaskActionsOptions,
    private readonly sender: WebhookSender,
    @Optional() private readonly worker?: ActionWorker,
  ) {}

  static forRoot(overrides: Partial<TaskActionsOptions> = {}): DynamicModule {
    const options = taskActionsOptions(overrides);
    return {
      module: TaskActionsModule,
      imports: [IngestModule, TaskTypesModule, MetricsModule],
      controllers: [ActionSecretController],
      providers: [
        {
          // Its depth for the operator's Prometheus (taskinbox_queue_jobs).
          provide: QUEUE_METRICS,
          inject: [MetricsRegistry, { token: ActionWorker, optional: true }],
          useFactory: (metrics: MetricsRegistry, worker?: ActionWorker) => {
            registerQueueDepth(metrics, 'task-actions', () => worker?.counts() ?? Promise.resolve({}));
            return true;
          },
        },
        { provide: TASK_ACTIONS_OPTIONS, useValue: options },
        {
          provide: ActionSecrets,
          inject: [PG_POOL, CONFIG],
          useFactory: (pool: Pool, config: Config) => {
            if (!config.webhooks.secretKey) throw new Error('WEBHOOK_SECRET_KEY is required for custom actions.');
            return new ActionSecrets(pool, new SecretCipher(config.webhooks.secretKey));
          },
        },
        {
          provide: WebhookSender,
          inject: [CONFIG],
          useFactory: (config: Config) =>
            new WebhookSender(new UrlGuard(config.webhooks.allowedHosts, options.resolver), {
              connectTimeoutMs: 5000,
              totalTimeoutMs: 30_000,
              concurrency: options.concurrency,
            }),
        },
        ...(options.work
          ? [
              {
                provide: ActionWorker,
                inject: [CONFIG, PG_POOL, EVENT_STORE, TaskCommandHandler, TaskTypeCatalog, ActionSecrets, WebhookSender, PROCESS_LOGGER],
                useFactory: (
                  config: Config,
                  pool: Pool,
                  store: EventStore,
                  tasks: TaskCommandHandler,
                  types: TaskTypeCatalog,
                  secrets: ActionSecrets,
                  sender: WebhookSender,
                  logger: Logger,
                ) =>
                  new ActionWorker(
                    config.redisUrl,
                    options,
                    pool,
                    store,
                    new ActionRunner(tasks, types, secrets, sender),
                    logger.child({ component: 'task-actions' }),
                  ),
              },
            ]
          : []),
      ],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.worker?.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.stop();
    this.sender.close();
  }
}
