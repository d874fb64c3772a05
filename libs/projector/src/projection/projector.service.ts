import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Pool } from 'pg';
import { type Config, InjectConfig } from '@taskinbox/config';
import { InjectPool } from '@taskinbox/database';
import { type EventStore, InjectEventStore } from '@taskinbox/event-store';
import { createLogger } from '@taskinbox/http';
import { ReadModelProjector } from './read-model.projector';

/** Runs the read-model projector for the application's lifetime. */
@Injectable()
export class ProjectorService implements OnApplicationBootstrap, OnModuleDestroy {
  readonly projector: ReadModelProjector;

  constructor(@InjectConfig() config: Config, @InjectPool() pool: Pool, @InjectEventStore() store: EventStore) {
    const logger = createLogger(config.logLevel).child({ component: 'projector' });
    this.projector = new ReadModelProjector({ pool, store, logger });
  }

  onApplicationBootstrap(): void {
    this.projector.start();
  }

  // Before the shutdown hooks that close the event store and the pool: the batch in flight commits first.
  async onModuleDestroy(): Promise<void> {
    await this.projector.stop();
  }
}
