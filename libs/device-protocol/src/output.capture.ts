/**
 * Keeps the first and last `maxBytes / 2` bytes of a stream of any length, in bounded memory:
 * what an action printed, capped as head + tail with a flag. NUL becomes U+FFFD so the text
 * passes every JSON and PostgreSQL boundary.
 */
export class OutputCapture {
  private head = Buffer.alloc(0);
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private total = 0;
  private readonly half: number;

  constructor(
    private readonly maxBytes: number,
    /** head only: for files, whose start is what matters. */
    private readonly mode: 'head+tail' | 'head' = 'head+tail',
  ) {
    this.half = mode === 'head' ? maxBytes : Math.floor(maxBytes / 2);
  }

  push(chunk: Buffer): void {
    this.total += chunk.length;
    let rest = chunk;
    if (this.head.length < this.half) {
      const take = Math.min(this.half - this.head.length, rest.length);
      this.head = Buffer.concat([this.head, rest.subarray(0, take)]);
      rest = rest.subarray(take);
    }
    if (rest.length === 0 || this.mode === 'head') return;
    this.tail.push(rest);
    this.tailBytes += rest.length;
    const limit = this.maxBytes - this.half;
    while (this.tailBytes - this.tail[0].length >= limit) this.tailBytes -= this.tail.shift()!.length;
  }

  get truncated(): boolean {
    return this.total > this.maxBytes;
  }

  get totalBytes(): number {
    return this.total;
  }

  text(): string {
    const limit = this.maxBytes - this.half;
    const tail = Buffer.concat(this.tail);
    const kept = tail.subarray(Math.max(0, tail.length - limit));
    const omitted = this.total - this.head.length - kept.length;
    const marker = omitted > 0 ? `\n… ${omitted} bytes omitted …\n` : '';
    return clean(this.head.toString('utf8') + marker + (this.mode === 'head' ? '' : kept.toString('utf8')));
  }
}

/** The most characters an action report's text may hold for a cap of `maxBytes` (the marker included). */
export const reportTextLimit = (maxBytes: number): number => maxBytes + 64;

const clean = (text: string): string => text.replace(/\u0000/g, '\ufffd');
