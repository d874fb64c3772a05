import { Module } from '@nestjs/common';
import type { Pool } from 'pg';
import { CONFIG, type Config } from '@taskinbox/config';
import { PG_POOL } from '@taskinbox/database';
import { IngestModule, TaskCommandHandler } from '@taskinbox/ingest';
import { SecretCipher } from '@taskinbox/webhooks';
import { InboundEventController } from './events/inbound-event.controller';
import { InboundEventService } from './events/inbound-event.service';
import { InboundSourceController } from './sources/inbound-source.controller';
import { InboundSourceService } from './sources/inbound-source.service';

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
      provide: InboundSourceService,
      inject: [PG_POOL, CONFIG],
      useFactory: (pool: Pool, config: Config) => {
        if (!config.webhooks.secretKey) throw new Error('WEBHOOK_SECRET_KEY is required for inbound sources.');
        return new InboundSourceService(pool, new SecretCipher(config.webhooks.secretKey));
      },
    },
    {
      provide: InboundEventService,
      inject: [PG_POOL, InboundSourceService, TaskCommandHandler],
      useFactory: (pool: Pool, sources: InboundSourceService, tasks: TaskCommandHandler) =>
        new InboundEventService(pool, sources, tasks),
    },
  ],
})
export class InboundModule {}
