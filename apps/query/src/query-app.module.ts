import { type DynamicModule, Module } from '@nestjs/common';
import { AttachmentsModule } from '@taskinbox/attachments';
import { AuthModule } from '@taskinbox/auth';
import { type Config, ConfigModule } from '@taskinbox/config';
import { MetricsModule } from '@taskinbox/metrics';
import { DatabaseModule } from '@taskinbox/database';
import { DevicesModule } from '@taskinbox/devices';
import { HealthModule } from '@taskinbox/health';
import { EventStoreModule } from '@taskinbox/event-store';
import { EventReadersModule } from '@taskinbox/nats-accounts';
import { NotificationsModule } from '@taskinbox/notifications';
import { OncallModule } from '@taskinbox/oncall';
import { ReadModelsModule } from '@taskinbox/read-models';
import { QueryModule, StreamModule } from '@taskinbox/query';
import { SloModule } from '@taskinbox/slo';
import { TaskActionsModule } from '@taskinbox/task-actions';
import { TransparencyModule } from '@taskinbox/transparency';
import { UrgencyModule } from '@taskinbox/urgency';

/**
 * The read side and the team's own features: the inbox, timelines, stats, the live stream,
 * sign-in, the admin SPA and organisations' event readers (NATS credentials; needs
 * NATS_ISSUER), SLOs and urgency (their timers too: SLO alerts are appended to the event store
 * at the revision read, so replicas cannot raise one twice, and urgency evaluation is
 * idempotent), devices, on-call and routing, notifications, attachments, custom actions and
 * the status pages. Their log followers take an advisory lock, so one replica of the query
 * service follows at a time whatever the autoscaler does; attachments need shared storage
 * (ATTACHMENTS_S3_*) once there is more than one replica.
 * Task commands go to the ingest service (the ingress routes them there; see deploy/helm).
 */
@Module({})
export class QueryAppModule {
  static forRoot(config: Readonly<Config>): DynamicModule {
    return {
      module: QueryAppModule,
      imports: [
        ConfigModule.forRoot(config),
        MetricsModule,
        DatabaseModule,
        EventStoreModule,
        ReadModelsModule,
        AuthModule,
        QueryModule,
        StreamModule.forRoot(),
        EventReadersModule,
        SloModule.forRoot(),
        UrgencyModule.forRoot(),
        DevicesModule.forRoot(),
        OncallModule.forRoot(),
        AttachmentsModule.forRoot(),
        NotificationsModule.forRoot(),
        TaskActionsModule.forRoot(),
        TransparencyModule,
        // Not the projector's lag: stale answers beat none, and the projector's own probe reports it.
        HealthModule.forRoot(['postgres', 'nats']),
      ],
    };
  }
}
