import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { CONFIG, type Config } from '@taskinbox/config';
import { PG_POOL } from '@taskinbox/database';
import { MetricsModule, MetricsRegistry } from '@taskinbox/metrics';
import { tracingEnabled } from '@taskinbox/telemetry';
import { Counter } from 'prom-client';
import { observingAppends } from './appended.counter';
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
  imports: [MetricsModule],
  providers: [
    {
      provide: EVENT_STORE,
      inject: [CONFIG, PG_POOL, MetricsRegistry],
      useFactory: (config: Config, pool: Pool, metrics: MetricsRegistry): EventStore => {
        const store =
          config.eventStore.kind === 'eventstoredb' ? new EventStoreDbEventStore(config.eventStore.url) : new PostgresEventStore({ pool });
        // Event types are a short fixed list (task, device, SLO events): a few dozen series.
        const appended = new Counter({
          name: 'taskinbox_events_appended_total',
          help: 'Events appended to the event store by this process, by event type.',
          labelNames: ['type'] as const,
          registers: [metrics.registry],
        });
        const counted = observingAppends(store, (_stream, events) => {
          for (const event of events) appended.inc({ type: event.type });
        });
        return tracingEnabled() ? new TracedEventStore(counted) : counted;
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
