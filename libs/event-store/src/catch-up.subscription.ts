import type { RecordedEvent, SubscribeOptions, Subscription } from './event-store';
import { Pause } from './pause';

/** What a catch-up subscription needs from an adapter. */
export interface CatchUpSource {
  /** Up to `maxCount` events (and `maxBytes`, see ReadAllOptions) after `after` (exclusive), in log order. */
  readAll(options: { after?: string; maxCount: number; maxBytes?: number }): Promise<RecordedEvent[]>;
  /**
   * Makes sure live wake-ups (wake()) flow before the next read, so an append that lands
   * after that read still wakes the subscription. Must not throw: polling covers failures.
   */
  listen(): Promise<void>;
  /**
   * Whether committed events exist that reads do not return yet (PostgreSQL: behind an older
   * open transaction). They appear without a wake-up of their own, so the loop looks again soon.
   */
  heldBack?(): Promise<boolean>;
}

const defaultBatchSize = 100;
// Under a steady stream of appends every follower was woken by every commit and read a few
// events at a time: in the one-process app, six followers' reads and checkpoint writes took more
// CPU than the appends they followed. A short wait between live reads makes the batches larger.
const defaultLiveReadIntervalMs = 25;
// First wait before reading again while events are held back; doubles up to the poll interval.
const heldBackRetryMs = 20;

/**
 * Reads batches after a position and hands each to the handler, awaiting it before the next
 * read. Once a read comes back empty it waits for wake() or, as a fallback, `pollIntervalMs`;
 * after a batch that reached the head it reads again no sooner than `liveReadIntervalMs` after
 * the read that found it.
 */
export class CatchUpSubscription implements Subscription {
  readonly caughtUp: Promise<void>;
  readonly done: Promise<void>;
  private closed = false;
  // Set by wake(); cleared before each read, so a wake during a read triggers another read.
  private woken = false;
  private readonly wakeWait = new Pause();
  // Ends the pause between live reads, for close().
  private readonly liveReadPause = new Pause();

  constructor(
    private readonly source: CatchUpSource,
    private readonly handler: (events: RecordedEvent[]) => Promise<void>,
    options: SubscribeOptions & { pollIntervalMs: number },
    onEnd: () => void,
  ) {
    const batchSize = options.batchSize ?? defaultBatchSize;
    if (!Number.isInteger(batchSize) || batchSize < 1)
      throw new RangeError(`batchSize must be a positive integer, got ${batchSize}.`);
    const { batchBytes } = options;
    if (batchBytes !== undefined && !(Number.isInteger(batchBytes) && batchBytes > 0))
      throw new RangeError(`batchBytes must be a positive integer, got ${batchBytes}.`);
    const liveReadIntervalMs = options.liveReadIntervalMs ?? defaultLiveReadIntervalMs;
    if (!(Number.isFinite(liveReadIntervalMs) && liveReadIntervalMs >= 0))
      throw new RangeError(`liveReadIntervalMs must be zero or more, got ${liveReadIntervalMs}.`);
    let markCaughtUp!: () => void;
    let failCaughtUp!: (error: unknown) => void;
    this.caughtUp = new Promise((resolve, reject) => {
      markCaughtUp = resolve;
      failCaughtUp = reject;
    });
    // Callers may only watch `done`; a failure before catching up must not go unhandled here.
    this.caughtUp.catch(() => undefined);
    const timing = { pollIntervalMs: options.pollIntervalMs, liveReadIntervalMs };
    this.done = this.run(options.after, { maxCount: batchSize, maxBytes: batchBytes }, timing, markCaughtUp)
      .catch((error: unknown) => {
        failCaughtUp(error);
        throw error;
      })
      .finally(onEnd);
  }

  wake(): void {
    this.woken = true;
    this.wakeWait.end();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeWait.end();
    this.liveReadPause.end();
    await this.done.catch(() => undefined);
  }

  private async run(
    after: string | undefined,
    limits: { maxCount: number; maxBytes?: number },
    { pollIntervalMs, liveReadIntervalMs }: { pollIntervalMs: number; liveReadIntervalMs: number },
    markCaughtUp: () => void,
  ): Promise<void> {
    let position = after;
    let retryMs = heldBackRetryMs;
    while (!this.closed) {
      await this.source.listen();
      this.woken = false;
      const readAt = Date.now();
      const events = await this.source.readAll({ after: position, ...limits });
      if (this.closed) return;
      if (events.length > 0) {
        await this.handler(events);
        position = events[events.length - 1].position;
        retryMs = heldBackRetryMs;
        // A full batch is catching up and reads on at once; a shorter one reached the head.
        if (events.length < limits.maxCount) await this.pause(readAt + liveReadIntervalMs - Date.now());
        continue;
      }
      markCaughtUp();
      if (await this.source.heldBack?.()) {
        await this.waitForWake(retryMs);
        retryMs = Math.min(retryMs * 2, pollIntervalMs);
      } else {
        await this.waitForWake(pollIntervalMs);
      }
    }
  }

  /** Waits `ms` unless closed meanwhile; wake-ups do not end it. */
  private pause(ms: number): Promise<void> {
    if (ms <= 0 || this.closed) return Promise.resolve();
    return this.liveReadPause.wait(ms);
  }

  private waitForWake(pollIntervalMs: number): Promise<void> {
    if (this.woken || this.closed) return Promise.resolve();
    return this.wakeWait.wait(pollIntervalMs);
  }
}

/** An adapter's open subscriptions: opened, woken and closed together. */
export class CatchUpSubscriptions {
  private readonly open = new Set<CatchUpSubscription>();
  private closing = false;

  constructor(
    private readonly source: CatchUpSource,
    private readonly pollIntervalMs: number,
  ) {}

  get closed(): boolean {
    return this.closing;
  }

  subscribe(handler: (events: RecordedEvent[]) => Promise<void>, options: SubscribeOptions): Subscription {
    if (this.closing) throw new Error('The event store is closed.');
    const subscription = new CatchUpSubscription(
      this.source,
      handler,
      { ...options, pollIntervalMs: this.pollIntervalMs },
      () => this.open.delete(subscription),
    );
    this.open.add(subscription);
    return subscription;
  }

  wakeAll(): void {
    for (const subscription of this.open) subscription.wake();
  }

  /** Refuses new subscriptions and closes the open ones. */
  async closeAll(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.open].map((subscription) => subscription.close()));
  }
}
