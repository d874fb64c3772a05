import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { type Config, InjectConfig } from '@taskinbox/config';
import { ChannelListener } from '@taskinbox/database';
import { readModelsUpdatedChannel } from '@taskinbox/read-models';

/**
 * One LISTENing PostgreSQL connection per process, shared by everything that reacts to
 * projector batches (read-your-writes waits, live streams). Subscribers hear of every batch and
 * of every gap (a batch may have been missed while the connection was down): both mean "look again".
 */
@Injectable()
export class ReadModelListener implements OnApplicationShutdown {
  private readonly logger = new Logger(ReadModelListener.name);
  private readonly channel: ChannelListener;

  constructor(@InjectConfig() config: Config) {
    this.channel = new ChannelListener({
      databaseUrl: config.databaseUrl,
      channel: readModelsUpdatedChannel,
      applicationName: 'taskinbox-query-listener',
      warn: (message) => this.logger.warn(message),
    });
  }

  /**
   * Calls `onUpdate` after every projector batch from now on. Resolves once LISTEN is in effect,
   * so a caller that looks at the tables afterwards cannot miss a batch in between.
   * Returns the function that unsubscribes.
   */
  subscribe(onUpdate: () => void): Promise<() => void> {
    return this.channel.subscribe({ notice: onUpdate, gap: onUpdate });
  }

  onApplicationShutdown(): Promise<void> {
    return this.channel.close();
  }
}
