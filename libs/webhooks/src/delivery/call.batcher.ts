interface Waiting<In, Out> {
  input: In;
  resolve: (output: Out) => void;
  reject: (error: unknown) => void;
}

/**
 * Coalesces calls made close together into one call of `run` with all their inputs, so many
 * concurrent jobs cost one database round trip instead of one each. At most `maxRunning` runs
 * are in flight (one unless given): inputs arriving meanwhile form the next batch, so batches
 * grow with load while a lone call waits only for the next turn of the event loop.
 */
export class CallBatcher<In, Out> {
  private waiting: Waiting<In, Out>[] = [];
  private running = 0;
  private scheduled = false;

  /** `run` returns one output per input, in the same order. */
  constructor(
    private readonly run: (inputs: In[]) => Promise<Out[]>,
    private readonly maxBatch: number,
    private readonly maxRunning = 1,
  ) {}

  call(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running >= this.maxRunning || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.running >= this.maxRunning || this.waiting.length === 0) return;
    this.running += 1;
    const batch = this.waiting.splice(0, this.maxBatch);
    try {
      const outputs = await this.run(batch.map((waiting) => waiting.input));
      batch.forEach((waiting, index) => waiting.resolve(outputs[index]));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    } finally {
      this.running -= 1;
      if (this.waiting.length > 0) this.schedule();
    }
  }
}
