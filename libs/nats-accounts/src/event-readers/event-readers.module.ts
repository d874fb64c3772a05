import { Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Pool } from 'pg';
import { CONFIG, type Config } from '@taskinbox/config';
import { PG_POOL } from '@taskinbox/database';
import type { Logger } from 'pino';
import { PROCESS_LOGGER } from '@taskinbox/http';
import { connectNats, natsNames } from '@taskinbox/messaging';
import { AccountPublisher } from '../accounts/account.publisher';
import { type Issuer, readIssuer } from '../accounts/issuer';
import { AccountRevocations } from '../revocations/account.revocations';
import { EventReaderController } from './event-reader.controller';
import { EventReaderService } from './event-reader.service';

const ISSUER = Symbol('taskinbox.nats-issuer');
const LOGGER = Symbol('taskinbox.event-readers.logger');

/** One NATS connection for the module, opened on first use. */
class ReaderConnection {
  private connection?: Promise<NatsConnection>;
  constructor(private readonly config: Config) {}
  get = (): Promise<NatsConnection> => {
    this.connection ??= connectNats(this.config.nats, 'taskinbox-event-readers').catch((error: unknown) => {
      this.connection = undefined;
      throw error;
    });
    return this.connection;
  };
  async close(): Promise<void> {
    const nc = await this.connection?.catch(() => undefined);
    await nc?.close();
  }
}

/**
 * /api/event-readers: organisations' admins issue and revoke NATS credentials that read their
 * organisation's events. Needs NATS_ISSUER (the issuer file of `npm run cli -- nats:init`),
 * ConfigModule, DatabaseModule and AuthModule. At start it pushes every recorded revocation
 * the server lacks (a server that lost its account store, say).
 */
@Module({
  controllers: [EventReaderController],
  providers: [
    { provide: LOGGER, inject: [PROCESS_LOGGER], useFactory: (logger: Logger) => logger.child({ component: 'event-readers' }) },
    {
      provide: ISSUER,
      inject: [CONFIG],
      useFactory: (config: Config): Issuer => readIssuer(config.nats.issuerFile, 'event readers'),
    },
    { provide: ReaderConnection, inject: [CONFIG], useFactory: (config: Config) => new ReaderConnection(config) },
    {
      provide: AccountRevocations,
      inject: [CONFIG, PG_POOL, ISSUER],
      useFactory: (config: Config, pool: Pool, issuer: Issuer) =>
        new AccountRevocations(pool, new AccountPublisher(issuer, config.nats.url)),
    },
    {
      provide: EventReaderService,
      inject: [CONFIG, PG_POOL, ISSUER, ReaderConnection, AccountRevocations, LOGGER],
      useFactory: (
        config: Config,
        pool: Pool,
        issuer: Issuer,
        connection: ReaderConnection,
        revocations: AccountRevocations,
        logger: Logger,
      ) =>
        new EventReaderService(
          pool,
          issuer,
          natsNames(config.nats.prefix),
          config.nats.streamReplicas,
          connection.get,
          revocations,
          logger,
        ),
    },
  ],
})
export class EventReadersModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly revocations: AccountRevocations,
    private readonly connection: ReaderConnection,
  ) {}

  onApplicationBootstrap(): void {
    this.revocations.sync('EVENTS', { onlyIfMissing: true }).then(
      (pushed) => pushed && this.logger.info('pushed recorded event reader revocations to NATS'),
      (error: unknown) =>
        this.logger.warn(
          { err: error },
          'could not check event reader revocations on NATS; they are pushed with the next revocation',
        ),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
  }
}
