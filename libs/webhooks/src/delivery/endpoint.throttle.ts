/**
 * Per-endpoint isolation inside one worker process: at most `maxInFlight` requests at once and
 * `ratePerSecond` starts per second (token bucket), so one slow or busy receiver waits on its
 * own instead of taking every worker slot. Returns how long to wait when over either limit.
 */
export class EndpointThrottle {
  private readonly state = new Map<string, { inFlight: number; tokens: number; refilledAt: number }>();

  constructor(
    private readonly maxInFlight: number,
    private readonly ratePerSecond: number,
  ) {}

  /** 0: go (call release afterwards); otherwise milliseconds to wait before trying again. */
  acquire(endpointId: string, now = Date.now()): number {
    const entry = this.state.get(endpointId) ?? { inFlight: 0, tokens: this.ratePerSecond, refilledAt: now };
    this.state.set(endpointId, entry);
    entry.tokens = Math.min(this.ratePerSecond, entry.tokens + ((now - entry.refilledAt) / 1000) * this.ratePerSecond);
    entry.refilledAt = now;
    if (entry.inFlight >= this.maxInFlight) return 100 + Math.round(Math.random() * 100);
    if (entry.tokens < 1) return Math.ceil(((1 - entry.tokens) / this.ratePerSecond) * 1000) + Math.round(Math.random() * 20);
    entry.tokens -= 1;
    entry.inFlight += 1;
    return 0;
  }

  release(endpointId: string): void {
    const entry = this.state.get(endpointId);
    if (!entry) return;
    entry.inFlight -= 1;
    if (entry.inFlight === 0 && entry.tokens >= this.ratePerSecond - 1) this.state.delete(endpointId);
  }
}
