import { type DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@taskinbox/auth';
import { type Config, ConfigModule } from '@taskinbox/config';
import { DatabaseModule } from '@taskinbox/database';

/** What operator commands use: the accounts context on the configured database, no HTTP. */
@Module({})
export class CliModule {
  static forRoot(config: Readonly<Config>): DynamicModule {
    return { module: CliModule, imports: [ConfigModule.forRoot(config), DatabaseModule, AuthModule] };
  }
}
