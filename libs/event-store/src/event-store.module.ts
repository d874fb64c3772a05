import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { CONFIG, type Config } from '@taskinbox/config';
import { PG_POOL } from '@taskinbox/database';
import { tracingEnabled } from '@taskinbox/telemetry';
import type { EventStore } from './event-store';
import { EventStoreDbEventStore } from './eventstoredb-event-store';
import { PostgresEventStore } from './postgres-event-store';
import { SnapshotStore } from './snapshot.store';
import { TracedEventStore } from './traced.event-store';

export const EVENT_STORE = Symbol('taskinbox.event-store');
export const InjectEventStore = (): ParameterDecorator => Inject(EVENT_STORE);

/** The configured event store (EVENT_STORE=postgres|eventstoredb) and the snapshots of folds, for the whole process. */
@Global()
@Module({
  providers: [
    {
      provide: EVENT_STORE,
      inject: [CONFIG, PG_POOL],
      useFactory: (config: Config, pool: Pool): EventStore => {
        const store =
          config.eventStore.kind === 'eventstoredb' ? new EventStoreDbEventStore(config.eventStore.url) : new PostgresEventStore({ pool });
        return tracingEnabled() ? new TracedEventStore(store) : store;
      },
    },
    { provide: SnapshotStore, inject: [PG_POOL], useFactory: (pool: Pool) => new SnapshotStore(pool) },
  ],
  exports: [EVENT_STORE, SnapshotStore],
})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
