import { type DynamicModule, Global, Inject, Module } from '@nestjs/common';
import type { Logger } from 'pino';

/** The process's one pino logger (createLogger in main); modules take a child with their component. */
export const PROCESS_LOGGER = Symbol('taskinbox.logger');
export const InjectLogger = (): ParameterDecorator => Inject(PROCESS_LOGGER);

@Global()
@Module({})
export class ProcessLoggerModule {
  static forRoot(logger: Logger): DynamicModule {
    return { module: ProcessLoggerModule, providers: [{ provide: PROCESS_LOGGER, useValue: logger }], exports: [PROCESS_LOGGER] };
  }
}
