import { Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Pool } from 'pg';
import type { Logger } from 'pino';
import { InjectPool } from '@taskinbox/database';
import { type EventStore, InjectEventStore } from '@taskinbox/event-store';
import { InjectLogger } from '@taskinbox/http';
import { ReadModelProjector } from './read-model.projector';

/** Runs the read-model projector for the application's lifetime. */
@Injectable()
export class ProjectorService implements OnApplicationBootstrap, OnModuleDestroy {
  readonly projector: ReadModelProjector;

  constructor(@InjectLogger() logger: Logger, @InjectPool() pool: Pool, @InjectEventStore() store: EventStore) {
    this.projector = new ReadModelProjector({ pool, store, logger: logger.child({ component: 'projector' }) });
  }

  onApplicationBootstrap(): void {
    this.projector.start();
  }

  // Before the shutdown hooks that close the event store and the pool: the batch in flight commits first.
  async onModuleDestroy(): Promise<void> {
    await this.projector.stop();
  }
}
