/** One queued item; the flush that takes it must settle it. */
export interface Queued<Item, Result> {
  item: Item;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

export interface AppendBatcherOptions {
  /** Most items one flush takes. */
  maxBatch: number;
  /** Most flushes in flight at once. */
  maxFlushes: number;
}

/**
 * Group commit: items added while every flush slot is busy wait and go together into the next
 * free flush. No timer: with a slot free, an item is flushed at once, so a lone append waits for nothing.
 */
export class AppendBatcher<Item, Result> {
  private readonly queue: Queued<Item, Result>[] = [];
  private flushing = 0;

  constructor(
    private readonly flush: (batch: Queued<Item, Result>[]) => Promise<void>,
    private readonly options: AppendBatcherOptions,
  ) {}

  add(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.drain();
    });
  }

  private drain(): void {
    while (this.flushing < this.options.maxFlushes && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.flushing++;
      this.flush(batch)
        // Settling an item twice is a no-op, so this only reaches those the flush left unsettled.
        .catch((error: unknown) => batch.forEach((queued) => queued.reject(error)))
        .finally(() => {
          this.flushing--;
          this.drain();
        });
    }
  }
}
