import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { AttachmentsModule, type AttachmentsOptions } from '@taskinbox/attachments';
import { AuthModule } from '@taskinbox/auth';
import { type Config, ConfigModule } from '@taskinbox/config';
import { MetricsModule } from '@taskinbox/metrics';
import { DatabaseModule } from '@taskinbox/database';
import { DevicesModule } from '@taskinbox/devices';
import { HealthModule } from '@taskinbox/health';
import { EventReadersModule } from '@taskinbox/nats-accounts';
import { EventStoreModule } from '@taskinbox/event-store';
import { InboundModule } from '@taskinbox/inbound';
import { IngestModule } from '@taskinbox/ingest';
import { NotificationsModule, type NotificationsOptions } from '@taskinbox/notifications';
import { OncallModule } from '@taskinbox/oncall';
import { AsyncApiModule, type RelayOptions, RelayModule } from '@taskinbox/messaging';
import { ProjectorModule } from '@taskinbox/projector';
import { ReadModelsModule } from '@taskinbox/read-models';
import { QueryModule, StreamModule } from '@taskinbox/query';
import { TaskActionsModule, type TaskActionsOptions } from '@taskinbox/task-actions';
import { TransparencyModule } from '@taskinbox/transparency';
import { SloModule } from '@taskinbox/slo';
import { UrgencyModule } from '@taskinbox/urgency';
import { WebhooksModule, type WebhooksOptions } from '@taskinbox/webhooks';

/** How the relay and webhooks behave; tests pass a queue of their own and quicker timings. */
export interface AppWiring {
  relay?: RelayOptions;
  webhooks?: Partial<WebhooksOptions>;
  attachments?: Partial<AttachmentsOptions>;
  notifications?: Partial<NotificationsOptions>;
  taskActions?: Partial<TaskActionsOptions>;
}

/**
 * Every feature module of the one process, on top of config, database, event store and auth.
 * Tests that need "the whole app" (the fuzz suite, the browser tests) start exactly this list,
 * so a module added here is covered by them without more ado.
 */
export function appFeatureModules(wiring: AppWiring = {}): (Type<unknown> | DynamicModule)[] {
  return [
    ReadModelsModule,
    IngestModule,
    InboundModule,
    ProjectorModule,
    RelayModule.forRoot(wiring.relay),
    QueryModule,
    StreamModule.forRoot(),
    WebhooksModule.forRoot(wiring.webhooks),
    EventReadersModule,
    DevicesModule.forRoot(),
    OncallModule.forRoot(),
    SloModule.forRoot(),
    UrgencyModule.forRoot(),
    AttachmentsModule.forRoot(wiring.attachments),
    NotificationsModule.forRoot(wiring.notifications),
    TaskActionsModule.forRoot(wiring.taskActions),
    TransparencyModule,
    AsyncApiModule,
    HealthModule.forRoot(['postgres', 'nats', 'redis', 'projectorLag', 'relayLag']),
  ];
}

/** Every taskinbox module in one process: the default for a small team. */
@Module({})
export class AppModule {
  static forRoot(config: Readonly<Config>): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), MetricsModule, DatabaseModule, EventStoreModule, AuthModule, ...appFeatureModules()],
    };
  }
}
