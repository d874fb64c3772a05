import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@taskinbox/auth';
import { type Config, ConfigModule } from '@taskinbox/config';
import { MetricsModule } from '@taskinbox/metrics';
import { DatabaseModule } from '@taskinbox/database';
import { HealthModule } from '@taskinbox/health';
import { WebhooksModule } from '@taskinbox/webhooks';

/** Webhook delivery (JetStream → PostgreSQL → BullMQ → HTTP) with its API and /metrics. */
@Module({})
export class WebhooksAppModule {
  static forRoot(config: Readonly<Config>): DynamicModule {
    return {
      module: WebhooksAppModule,
      imports: [ConfigModule.forRoot(config), MetricsModule, DatabaseModule, AuthModule, WebhooksModule.forRoot(), HealthModule.forRoot(['postgres', 'nats', 'redis'])],
    };
  }
}
