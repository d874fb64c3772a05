import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@taskinbox/auth';
import { type Config, ConfigModule } from '@taskinbox/config';
import { MetricsModule } from '@taskinbox/metrics';
import { DatabaseModule } from '@taskinbox/database';
import { HealthModule } from '@taskinbox/health';
import { EventStoreModule } from '@taskinbox/event-store';
import { InboundModule } from '@taskinbox/inbound';
import { IngestModule } from '@taskinbox/ingest';
import { AsyncApiModule } from '@taskinbox/messaging';

/** The command side alone (with signed inbound events), for deployments that scale it separately. */
@Module({})
export class IngestAppModule {
  static forRoot(config: Readonly<Config>): DynamicModule {
    return {
      module: IngestAppModule,
      imports: [ConfigModule.forRoot(config), MetricsModule, DatabaseModule, EventStoreModule, AuthModule, IngestModule, InboundModule, AsyncApiModule, HealthModule.forRoot(['postgres', 'nats'])],
    };
  }
}
