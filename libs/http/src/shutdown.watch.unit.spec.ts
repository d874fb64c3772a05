import { Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type SlowShutdownHook, watchShutdownHooks } from './shutdown.watch';

@Injectable()
class SlowToClose implements OnApplicationShutdown {
  onApplicationShutdown(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 300));
  }
}

@Injectable()
class QuickToClose implements OnApplicationShutdown {
  closed = false;
  onApplicationShutdown(): void {
    this.closed = true;
  }
}

@Module({ providers: [SlowToClose, QuickToClose] })
class ClosingModule {}

describe('watchShutdownHooks', () => {
  it('names the hook still running after the wait, and only that one; the hooks still run', async () => {
    const app = await NestFactory.createApplicationContext(ClosingModule, { logger: false });
    const slow: SlowShutdownHook[] = [];
    watchShutdownHooks(app, (hook) => slow.push(hook), 50);
    await app.close();
    expect(slow).toEqual([{ hook: 'onApplicationShutdown', of: 'SlowToClose', seconds: 0.05 }]);
    expect(app.get(QuickToClose).closed).toBe(true);
  });
});
