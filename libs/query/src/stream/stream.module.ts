import { type DynamicModule, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { CONFIG, type Config } from '@taskinbox/config';
import type { Logger } from 'pino';
import { PROCESS_LOGGER } from '@taskinbox/http';
import { connectNats, natsNames, TaskEventFeed } from '@taskinbox/messaging';
import { StreamController } from './stream.controller';
import { STREAM_OPTIONS, type StreamOptions } from './stream.options';

/** GET /api/stream: live task events over SSE. Needs ConfigModule and AuthModule in the application. */
@Module({})
export class StreamModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(private readonly feed: TaskEventFeed) {}

  /** Events under NATS_SUBJECT_PREFIX; default: a heartbeat every 15 s. */
  static forRoot(options: Partial<StreamOptions> = {}): DynamicModule {
    const settings: StreamOptions = { heartbeatMs: options.heartbeatMs ?? 15_000 };
    return {
      module: StreamModule,
      controllers: [StreamController],
      providers: [
        { provide: STREAM_OPTIONS, useValue: settings },
        {
          provide: TaskEventFeed,
          inject: [CONFIG, PROCESS_LOGGER],
          useFactory: (config: Config, logger: Logger) =>
            new TaskEventFeed(
              () => connectNats(config.nats, 'taskinbox-live'),
              natsNames(config.nats.prefix),
              logger.child({ component: 'live' }),
            ),
        },
      ],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.feed.open();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.feed.close();
  }
}
