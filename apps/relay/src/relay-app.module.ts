import { type DynamicModule, Module } from '@nestjs/common';
import { type Config, ConfigModule } from '@taskinbox/config';
import { MetricsModule } from '@taskinbox/metrics';
import { DatabaseModule } from '@taskinbox/database';
import { HealthModule } from '@taskinbox/health';
import { EventStoreModule } from '@taskinbox/event-store';
import { RelayModule } from '@taskinbox/messaging';

/** The relay alone: event store → JetStream TASK_EVENTS. Replicas stand by behind the active one. */
@Module({})
export class RelayAppModule {
  static forRoot(config: Readonly<Config>): DynamicModule {
    return {
      module: RelayAppModule,
      imports: [ConfigModule.forRoot(config), MetricsModule, DatabaseModule, EventStoreModule, RelayModule.forRoot(), HealthModule.forRoot(['postgres', 'nats', 'relayLag'])],
    };
  }
}
