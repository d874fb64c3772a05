import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@taskinbox/auth';
import { type Config, ConfigModule } from '@taskinbox/config';
import { DatabaseModule } from '@taskinbox/database';
import { EventReadersModule } from '@taskinbox/nats-accounts';
import { ReadModelsModule } from '@taskinbox/read-models';
import { QueryModule, StreamModule } from '@taskinbox/query';

/**
 * The read side alone: the inbox, timelines, stats, the live stream, sign-in, the admin SPA and
 * organisations' event readers (NATS credentials; needs NATS_ISSUER).
 * Commands go to the ingest service (route POST/PUT/PATCH/DELETE /api/* there; see k8s/).
 */
@Module({})
export class QueryAppModule {
  static forRoot(config: Readonly<Config>): DynamicModule {
    return {
      module: QueryAppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        ReadModelsModule,
        AuthModule,
        QueryModule,
        StreamModule.forRoot(),
        EventReadersModule,
      ],
    };
  }
}
