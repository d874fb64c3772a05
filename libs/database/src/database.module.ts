import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { CONFIG, type Config } from '@taskinbox/config';

export const PG_POOL = Symbol('taskinbox.pg-pool');
export const InjectPool = (): ParameterDecorator => Inject(PG_POOL);

/** One pg pool per process, shared by the event store and the auth tables. */
@Global()
@Module({
  providers: [
    {
      provide: PG_POOL,
      inject: [CONFIG],
      useFactory: (config: Config) => {
        const pool = new Pool({ connectionString: config.databaseUrl, max: config.databasePoolSize });
        // An idle client dropped by the server (restart, terminated backend) must not crash the
        // process; the pool replaces it and the next query reports any lasting failure.
        pool.on('error', () => undefined);
        return pool;
      },
    },
  ],
  exports: [PG_POOL],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@InjectPool() private readonly pool: Pool) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
