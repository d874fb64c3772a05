import type { Logger } from './agent.logger';
import { type AgentClient, DeviceUnenrolled, ServerRefused } from '@taskinbox/device-protocol';
import type { AgentState, OutboxItem } from './agent.state';

/**
 * Reports leave through here, in the order they were made: each is written to disk first, then
 * sent until the server acknowledges it (2xx), so a result made while the server or the network
 * was away, or before the agent restarted, is delivered later, once (the server keys them on the
 * run id). A report the server refuses for what it says (4xx) is dropped and logged.
 */
export class Outbox {
  private flushing?: Promise<void>;
  private retry?: NodeJS.Timeout;
  private failures = 0;
  private idle: (() => void)[] = [];

  constructor(
    private readonly state: AgentState,
    private readonly client: () => AgentClient | undefined,
    private readonly logger: Logger,
    private readonly maxBackoffMs: number,
    private readonly onUnenrolled: () => void,
  ) {}

  add(item: OutboxItem): void {
    this.state.enqueue(item);
    this.kick();
  }

  kick(): void {
    if (this.retry) {
      clearTimeout(this.retry);
      this.retry = undefined;
    }
    this.flushing ??= this.flush().finally(() => {
      this.flushing = undefined;
    });
  }

  /** Resolves when nothing is waiting (tests, shutdown). */
  drained(): Promise<void> {
    if (this.state.outbox().length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  stop(): void {
    clearTimeout(this.retry);
  }

  private async flush(): Promise<void> {
    const client = this.client();
    if (!client) return this.later();
    for (;;) {
      const [next] = this.state.outbox();
      if (!next) break;
      try {
        await client.request(next.item.method, next.item.path, next.item.body);
        this.state.delivered(next.name);
        this.failures = 0;
      } catch (error) {
        if (error instanceof DeviceUnenrolled) return this.onUnenrolled();
        if (error instanceof ServerRefused && !error.retryable) {
          this.logger.warn({ path: next.item.path, status: error.status, message: error.message }, 'report refused by the server; dropped');
          this.state.delivered(next.name);
          continue;
        }
        this.logger.info({ path: next.item.path, err: String(error) }, 'report not delivered yet; will retry');
        return this.later();
      }
    }
    for (const resolve of this.idle.splice(0)) resolve();
  }

  private later(): void {
    this.failures++;
    const wait = Math.min(this.maxBackoffMs, 250 * 2 ** Math.min(this.failures, 10));
    this.retry = setTimeout(() => this.kick(), wait);
  }
}
