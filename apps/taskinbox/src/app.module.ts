import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@taskinbox/auth';
import { type Config, ConfigModule } from '@taskinbox/config';
import { DatabaseModule } from '@taskinbox/database';
import { EventStoreModule } from '@taskinbox/event-store';
import { IngestModule } from '@taskinbox/ingest';

/** Every taskinbox module in one process: the default for a small team. */
@Module({})
export class AppModule {
  static forRoot(config: Readonly<Config>): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, EventStoreModule, AuthModule, IngestModule],
    };
  }
}
