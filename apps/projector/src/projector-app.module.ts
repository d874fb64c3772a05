import { type DynamicModule, Module } from '@nestjs/common';
import { type Config, ConfigModule } from '@taskinbox/config';
import { MetricsModule } from '@taskinbox/metrics';
import { DatabaseModule } from '@taskinbox/database';
import { HealthModule } from '@taskinbox/health';
import { EventStoreModule } from '@taskinbox/event-store';
import { ProjectorModule } from '@taskinbox/projector';

/** The read-model projector alone, for deployments that run it separately (one active per database). */
@Module({})
export class ProjectorAppModule {
  static forRoot(config: Readonly<Config>): DynamicModule {
    return {
      module: ProjectorAppModule,
      imports: [ConfigModule.forRoot(config), MetricsModule, DatabaseModule, EventStoreModule, ProjectorModule, HealthModule.forRoot(['postgres', 'projectorLag'])],
    };
  }
}
