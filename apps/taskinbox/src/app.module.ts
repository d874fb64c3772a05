import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@taskinbox/auth';
import { type Config, ConfigModule } from '@taskinbox/config';
import { DatabaseModule } from '@taskinbox/database';
import { EventReadersModule } from '@taskinbox/nats-accounts';
import { EventStoreModule } from '@taskinbox/event-store';
import { IngestModule } from '@taskinbox/ingest';
import { RelayModule } from '@taskinbox/messaging';
import { ProjectorModule } from '@taskinbox/projector';
import { ReadModelsModule } from '@taskinbox/read-models';
import { QueryModule, StreamModule } from '@taskinbox/query';
import { WebhooksModule } from '@taskinbox/webhooks';

/** Every taskinbox module in one process: the default for a small team. */
@Module({})
export class AppModule {
  static forRoot(config: Readonly<Config>): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        EventStoreModule,
        ReadModelsModule,
        AuthModule,
        IngestModule,
        ProjectorModule,
        RelayModule.forRoot(),
        QueryModule,
        StreamModule.forRoot(),
        WebhooksModule.forRoot(),
        EventReadersModule,
      ],
    };
  }
}
