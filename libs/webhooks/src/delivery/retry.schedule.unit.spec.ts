import { defaultRetrySchedule } from '../webhooks.options';
import { parseRetryAfter, retryDelay } from './retry.schedule';

describe('retry schedule', () => {
  it('follows 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h within ±20%, then stops', () => {
    const bases = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];
    bases.forEach((base, index) => {
      expect(retryDelay(defaultRetrySchedule, index + 1, () => 0)).toBe(base * 0.8);
      expect(retryDelay(defaultRetrySchedule, index + 1, () => 1)).toBe(base * 1.2);
      expect(retryDelay(defaultRetrySchedule, index + 1, () => 0.5)).toBe(base);
    });
    expect(retryDelay(defaultRetrySchedule, 8)).toBeUndefined();
  });

  it('reads Retry-After as seconds or as a date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
