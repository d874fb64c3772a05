import { type DynamicModule, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Tracing } from './tracing';

/** Sends the spans still buffered when the application closes (SIGTERM), before the process exits. */
@Module({})
export class TracingModule {
  static forRoot(tracing: Tracing): DynamicModule {
    return {
      module: TracingModule,
      providers: [
        { provide: TracingFlush, useFactory: () => new TracingFlush(tracing) },
      ],
    };
  }
}

class TracingFlush implements OnApplicationShutdown {
  constructor(private readonly tracing: Tracing) {}

  async onApplicationShutdown(): Promise<void> {
    await this.tracing.shutdown();
  }
}
