import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { CONFIG, type Config } from '@taskinbox/config';
import { PG_POOL } from '@taskinbox/database';
import { IngestModule, TaskCommandHandler } from '@taskinbox/ingest';
import { SecretCipher } from '@taskinbox/webhooks';
import { InboundEventController } from './events/inbound-event.controller';
import { InboundEventService } from './events/inbound-event.service';
import { InboundSourceController } from './sources/inbound-source.controller';
import { InboundSourceService } from './sources/inbound-source.service';

/**
 * Connections that hold an inbound message's transaction open across its command. Their own
 * pool: taken from the shared one, enough concurrent messages could hold every connection
 * while their commands wait for one to load and append the task.
 */
const INBOUND_POOL = Symbol('taskinbox.inbound-pool');
const inboundConnections = 4;

/**
 * Signed inbound events: senders and third parties post information or cancel tasks through
 * their own Standard Webhooks secret. Needs ConfigModule (WEBHOOK_SECRET_KEY encrypts the
 * secrets), DatabaseModule, EventStoreModule and AuthModule.
 */
@Module({
  imports: [IngestModule],
  controllers: [InboundSourceController, InboundEventController],
  providers: [
    {
      provide: INBOUND_POOL,
      inject: [CONFIG],
      useFactory: (config: Config) => {
        const pool = new Pool({
          connectionString: config.databaseUrl,
          max: inboundConnections,
          application_name: 'taskinbox-inbound',
        });
        // An idle connection that breaks is replaced on next use; without a listener it would crash the process.
        pool.on('error', () => undefined);
        return pool;
      },
    },
    {
      provide: InboundSourceService,
      inject: [PG_POOL, CONFIG],
      useFactory: (pool: Pool, config: Config) => {
        if (!config.webhooks.secretKey) throw new Error('WEBHOOK_SECRET_KEY is required for inbound sources.');
        return new InboundSourceService(pool, new SecretCipher(config.webhooks.secretKey));
      },
    },
    {
      provide: InboundEventService,
      inject: [INBOUND_POOL, InboundSourceService, TaskCommandHandler],
      useFactory: (pool: Pool, sources: InboundSourceService, tasks: TaskCommandHandler) =>
        new InboundEventService(pool, sources, tasks),
    },
  ],
})
export class InboundModule implements OnApplicationShutdown {
  constructor(@Inject(INBOUND_POOL) private readonly pool: Pool) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
