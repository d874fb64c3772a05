import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@taskinbox/auth';
import { type Config, ConfigModule } from '@taskinbox/config';
import { MetricsModule } from '@taskinbox/metrics';
import { DatabaseModule } from '@taskinbox/database';
import { HealthModule } from '@taskinbox/health';
import { EventStoreModule } from '@taskinbox/event-store';
import { EventReadersModule } from '@taskinbox/nats-accounts';
import { ReadModelsModule } from '@taskinbox/read-models';
import { QueryModule, StreamModule } from '@taskinbox/query';
import { SloModule } from '@taskinbox/slo';
import { UrgencyModule } from '@taskinbox/urgency';

/**
 * The read side alone: the inbox, timelines, stats, the live stream, sign-in, the admin SPA and
 * organisations' event readers (NATS credentials; needs NATS_ISSUER), SLOs and urgency (their
 * timers too: SLO alerts are appended to the event store at the revision read, so replicas
 * cannot raise one twice, and urgency evaluation is idempotent).
 * Commands go to the ingest service (route POST/PUT/PATCH/DELETE /api/* there; see k8s/).
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
        // Not the projector's lag: stale answers beat none, and the projector's own probe reports it.
        HealthModule.forRoot(['postgres', 'nats']),
      ],
    };
  }
}
