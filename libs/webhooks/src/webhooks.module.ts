import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Inject,
  Module,
  type OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import type { Pool } from 'pg';
import { CONFIG, type Config } from '@taskinbox/config';
import { PG_POOL } from '@taskinbox/database';
import type { Logger } from 'pino';
import { PROCESS_LOGGER } from '@taskinbox/http';
import { connectNats, natsNames } from '@taskinbox/messaging';
import { MetricsModule, MetricsRegistry } from '@taskinbox/metrics';
import { DeliveryQueueService } from './delivery/delivery-queue.service';
import { DeliveryFanOut } from './delivery/delivery.fan-out';
import { DeliveryHistory } from './delivery/delivery.history';
import { DeliveryPipeline } from './delivery/delivery.pipeline';
import { DeliveryWorker } from './delivery/delivery.worker';
import { WebhookEventConsumer } from './delivery/event.consumer';
import { WebhookSender } from './delivery/webhook.sender';
import { EndpointController } from './endpoints/endpoint.controller';
import { EndpointService } from './endpoints/endpoint.service';
import { WebhookMetrics } from './metrics/webhook.metrics';
import { SecretCipher } from './secrets/secret.cipher';
import { UrlGuard } from './url/url.guard';
import { WEBHOOKS_OPTIONS, type WebhooksOptions, webhooksOptions } from './webhooks.options';

const WEBHOOKS_LOGGER = Symbol('taskinbox.webhooks.logger');

/**
 * Outbound webhooks: the endpoint API (/api/webhooks/endpoints), delivery metrics and, unless
 * `deliver: false`, the JetStream consumer, the BullMQ worker and the sweeper. Needs
 * ConfigModule (with WEBHOOK_SECRET_KEY), DatabaseModule and AuthModule in the application.
 */
@Module({})
export class WebhooksModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(WEBHOOKS_OPTIONS) private readonly options: WebhooksOptions,
    private readonly queue: DeliveryQueueService,
    private readonly sender: WebhookSender,
    @Optional() private readonly consumer?: WebhookEventConsumer,
    @Optional() private readonly worker?: DeliveryWorker,
  ) {}

  static forRoot(overrides: Partial<WebhooksOptions> = {}): DynamicModule {
    const options = webhooksOptions(overrides);
    return {
      module: WebhooksModule,
      imports: [MetricsModule],
      controllers: [EndpointController],
      providers: [
        { provide: WEBHOOKS_LOGGER, inject: [PROCESS_LOGGER], useFactory: (logger: Logger) => logger.child({ component: 'webhooks' }) },
        { provide: WEBHOOKS_OPTIONS, useValue: options },
        {
          provide: WebhookMetrics,
          inject: [MetricsRegistry, DeliveryQueueService],
          useFactory: (metrics: MetricsRegistry, queue: DeliveryQueueService) => new WebhookMetrics(metrics, () => queue.counts()),
        },
        {
          provide: SecretCipher,
          inject: [CONFIG],
          useFactory: (config: Config) => {
            if (!config.webhooks.secretKey) throw new Error('WEBHOOK_SECRET_KEY is required for webhooks.');
            return new SecretCipher(config.webhooks.secretKey);
          },
        },
        {
          provide: UrlGuard,
          inject: [CONFIG],
          useFactory: (config: Config) => new UrlGuard(config.webhooks.allowedHosts, options.resolver),
        },
        {
          provide: EndpointService,
          inject: [PG_POOL, SecretCipher, UrlGuard],
          useFactory: (pool: Pool, cipher: SecretCipher, guard: UrlGuard) =>
            new EndpointService(pool, cipher, guard, options.rotationOverlapMs),
        },
        {
          provide: DeliveryQueueService,
          inject: [CONFIG],
          useFactory: (config: Config) => new DeliveryQueueService(config.redisUrl, options.queueName, options.queuePrefix),
        },
        { provide: WebhookSender, inject: [UrlGuard], useFactory: (guard: UrlGuard) => new WebhookSender(guard, options) },
        { provide: DeliveryFanOut, inject: [PG_POOL], useFactory: (pool: Pool) => new DeliveryFanOut(pool) },
        {
          provide: DeliveryHistory,
          inject: [PG_POOL, DeliveryQueueService],
          useFactory: (pool: Pool, queue: DeliveryQueueService) => new DeliveryHistory(pool, queue),
        },
        {
          provide: DeliveryPipeline,
          inject: [CONFIG, PG_POOL, EndpointService, DeliveryQueueService, WebhookSender, WebhookMetrics, WEBHOOKS_LOGGER],
          useFactory: (
            config: Config,
            pool: Pool,
            endpoints: EndpointService,
            queue: DeliveryQueueService,
            sender: WebhookSender,
            metrics: WebhookMetrics,
            logger: Logger,
          ) =>
            new DeliveryPipeline(
              pool,
              endpoints,
              queue,
              sender,
              metrics,
              {
                retrySchedule: options.retrySchedule,
                maxRetryAfterMs: options.maxRetryAfterMs,
                disableAfterMs: options.disableAfterMs ?? config.webhooks.disableAfterHours * 3600_000,
                maxInFlightPerEndpoint: config.webhooks.maxInFlightPerEndpoint,
                ratePerSecond: config.webhooks.ratePerSecond,
              },
              logger,
            ),
        },
        ...(options.deliver
          ? [
              {
                provide: WebhookEventConsumer,
                inject: [CONFIG, DeliveryFanOut, DeliveryQueueService, WEBHOOKS_LOGGER],
                useFactory: (config: Config, fanOut: DeliveryFanOut, queue: DeliveryQueueService, logger: Logger) =>
                  new WebhookEventConsumer(
                    () => connectNats(config.nats, 'taskinbox-webhooks'),
                    { ...options, names: natsNames(config.nats.prefix) },
                    fanOut,
                    queue,
                    logger,
                  ),
              },
              {
                provide: DeliveryWorker,
                inject: [CONFIG, DeliveryQueueService, DeliveryPipeline, WEBHOOKS_LOGGER],
                useFactory: (config: Config, queue: DeliveryQueueService, pipeline: DeliveryPipeline, logger: Logger) =>
                  new DeliveryWorker(config.redisUrl, queue, pipeline, options, logger),
              },
            ]
          : []),
      ],
      exports: [EndpointService, DeliveryFanOut, DeliveryPipeline, DeliveryHistory, DeliveryQueueService, WebhookMetrics],
    };
  }

  onApplicationBootstrap(): void {
    this.worker?.start();
    this.consumer?.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
    await this.worker?.stop();
    await this.queue.close();
    this.sender.close();
  }
}
