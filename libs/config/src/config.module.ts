import { Global, Inject, Module, type DynamicModule } from '@nestjs/common';
import type { Config } from './config';

export const CONFIG = Symbol('taskinbox.config');
export const InjectConfig = (): ParameterDecorator => Inject(CONFIG);

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: Readonly<Config>): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: CONFIG, useValue: config }], exports: [CONFIG] };
  }
}
