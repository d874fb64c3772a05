/**
 * A wait that ends after its time or as soon as end() is called: how followers of the log sleep
 * between retries or polls and still stop at once.
 */
export class Pause {
  private ending?: () => void;

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const end = (): void => {
        clearTimeout(timer);
        if (this.ending === end) this.ending = undefined;
        resolve();
      };
      const timer = setTimeout(end, ms);
      this.ending = end;
    });
  }

  /** Ends the wait under way, if any. */
  end(): void {
    this.ending?.();
  }
}
