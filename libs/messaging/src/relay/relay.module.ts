import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Module,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Pool } from 'pg';
import { CONFIG, type Config } from '@taskinbox/config';
import { PG_POOL } from '@taskinbox/database';
import { EVENT_STORE, type EventStore } from '@taskinbox/event-store';
import type { Logger } from 'pino';
import { PROCESS_LOGGER } from '@taskinbox/http';
import { connectNats } from '../nats.connection';
import { type RelayOptions, RelayService } from './relay.service';

/**
 * Runs the relay in this process: starts once the application is up and stops (finishing the
 * batch in flight) before the event store and the pool close. Needs ConfigModule,
 * DatabaseModule and EventStoreModule in the application.
 */
@Module({})
export class RelayModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(private readonly relay: RelayService) {}

  /** Subjects and stream follow NATS_SUBJECT_PREFIX; tests pass shorter pauses. */
  static forRoot(options: Omit<RelayOptions, 'prefix' | 'replicas'> = {}): DynamicModule {
    return {
      module: RelayModule,
      providers: [
        {
          provide: RelayService,
          inject: [CONFIG, PG_POOL, EVENT_STORE, PROCESS_LOGGER],
          useFactory: (config: Config, pool: Pool, store: EventStore, logger: Logger) =>
            new RelayService(
              {
                store,
                pool,
                logger,
                // A publish per event: its errors (a timeout) are logged without the caller's async stack.
                connectNats: () => connectNats(config.nats, 'taskinbox-relay', { asyncTraces: false }),
              },
              { ...options, prefix: config.nats.prefix, replicas: config.nats.streamReplicas },
            ),
        },
      ],
      exports: [RelayService],
    };
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}
