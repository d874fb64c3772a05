import { decideAttempt, perAccount, type ThrottleState } from './sign-in-throttle.policy';

const run = (times: number, start: number, state: ThrottleState | null = null) => {
  const outcomes: (number | 'refused')[] = [];
  for (let i = 0; i < times; i++) {
    const decision = decideAttempt(state, start, perAccount);
    if (decision.allowed) {
      state = decision.next;
      outcomes.push(decision.next.nextAllowedAt - start);
    } else outcomes.push('refused');
  }
  return { outcomes, state };
};

describe('sign-in throttling', () => {
  it('lets the first five through at once, delays the sixth attempt’s successor by 1 s, and refuses within the delay', () => {
    const { outcomes } = run(8, 1_000_000);
    expect(outcomes).toEqual([0, 0, 0, 0, 0, 1000, 'refused', 'refused']);
  });

  it('doubles the delay with each attempt after the free ones, up to 15 minutes', () => {
    let state: ThrottleState | null = null;
    let now = 0;
    const delays: number[] = [];
    for (let i = 0; i < 16; i++) {
      const decision = decideAttempt(state, now, perAccount);
      if (!decision.allowed) throw new Error('waited long enough, should pass');
      state = decision.next;
      delays.push(state.nextAllowedAt - now);
      now = state.nextAllowedAt;
    }
    expect(delays).toEqual([0, 0, 0, 0, 0, 1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 512000, 900000]);
  });

  it('answers how long to wait, and forgets a key left alone for an hour', () => {
    const state: ThrottleState = { attempts: 9, nextAllowedAt: 10_000 + 16_000, updatedAt: 10_000 };
    expect(decideAttempt(state, 12_500, perAccount)).toEqual({ allowed: false, retryAfterMs: 13_500 });
    const later = decideAttempt(state, 10_000 + 3600_000, perAccount);
    expect(later).toEqual({ allowed: true, next: { attempts: 1, nextAllowedAt: 10_000 + 3600_000, updatedAt: 10_000 + 3600_000 } });
  });
});
