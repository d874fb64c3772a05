import { attainment, burnRate, evaluateBurnRates, type SliEvent } from './slo.math';

const minute = 60_000;
const now = Date.UTC(2026, 2, 2, 12, 0);
const at = (minutesAgo: number, good: boolean): SliEvent => ({ at: now - minutesAgo * minute, good });

describe('attainment and error budget', () => {
  it('95% target, 40 events, 1 bad: 97.5% attained, 2 bad allowed, half the budget left', () => {
    const events = [...Array.from({ length: 39 }, (_, i) => at(i * 60, true)), at(5, false)];
    const result = attainment(events, 0.95);
    expect(result).toMatchObject({ total: 40, good: 39, bad: 1, attainment: 0.975 });
    expect(result.errorBudget.allowedBad).toBeCloseTo(2, 10);
    expect(result.errorBudget.remaining).toBeCloseTo(0.5, 10);
  });

  it('overspent: 90% target, 10 events, 3 bad: 1 allowed, remaining -2', () => {
    const events = [...Array.from({ length: 7 }, (_, i) => at(i, true)), at(1, false), at(2, false), at(3, false)];
    const result = attainment(events, 0.9);
    expect(result.attainment).toBeCloseTo(0.7, 10);
    expect(result.errorBudget.allowedBad).toBeCloseTo(1, 10);
    expect(result.errorBudget.remaining).toBeCloseTo(-2, 10);
  });

  it('no events: nothing attained or spent', () => {
    expect(attainment([], 0.99)).toEqual({
      total: 0,
      good: 0,
      bad: 0,
      attainment: null,
      errorBudget: { allowedBad: 0, remaining: 1 },
    });
  });
});

describe('burn rates (SRE workbook multi-window)', () => {
  it('is the bad share over the allowed share, counting only events inside the window', () => {
    // 1 h window at 99%: 10 events, 2 bad → 20% bad / 1% allowed = 20. The event 61 minutes ago is outside.
    const events = [
      ...Array.from({ length: 8 }, (_, i) => at(i * 5, true)),
      at(10, false),
      at(50, false),
      at(61, false),
    ];
    expect(burnRate(events, 0.99, 60 * minute, now).rate).toBeCloseTo(20, 10);
    expect(burnRate(events, 0.99, 60 * minute, now).total).toBe(10);
    // 5 min window: events 0 (good) and... at(0) only, as at(5) is exactly 5 minutes old and falls out.
    expect(burnRate(events, 0.99, 5 * minute, now)).toEqual({ rate: 0, total: 1 });
  });

  it('pages on the fast rule only when both 1 h and 5 min burn at 14.4× or more', () => {
    // 99% target. Last hour: 20 events, 4 bad → 0.2 / 0.01 = 20 ≥ 14.4. Last 5 min: 2 events, 1 bad → 50.
    const hour = [
      ...Array.from({ length: 16 }, (_, i) => at(6 + i * 3, true)),
      at(20, false),
      at(30, false),
      at(40, false),
    ];
    const lastFive = [at(1, false), at(2, true)];
    const [fast, slow] = evaluateBurnRates([...hour, ...lastFive], 0.99, now);
    expect(fast).toMatchObject({ rule: 'fast', threshold: 14.4, events: 21, firing: true });
    expect(fast.long).toBeCloseTo(4 / 21 / 0.01, 10);
    expect(fast.short).toBeCloseTo(50, 10);
    // 6 h holds the same 21 events: 19.05 ≥ 6. Its 30 min window: at(1) bad, at(2), 6, 9, …, 27 (8 good) and
    // at(20) bad = 11 events, 2 bad → (2 / 11) / 0.01 = 18.18 ≥ 6.
    expect(slow.short).toBeCloseTo(200 / 11, 10);
    expect(slow.firing).toBe(true);

    // The short window recovered (last 5 minutes all good): the fast rule stops paging at once.
    const recovered = evaluateBurnRates([...hour, at(1, true), at(2, true)], 0.99, now);
    expect(recovered[0]).toMatchObject({ short: 0, firing: false });
  });

  it('6 h / 30 min at 6×: 95% target, 6 h burning 0.3/0.05 = 6 with 30 min at 10 fires; 5.45 does not', () => {
    // 10 events in 6 h, 3 bad → 0.3 / 0.05 = 6.0 (exactly the threshold). 30 min: 2 events, 1 bad → 10.
    const events = [
      at(10, false),
      at(20, true),
      at(100, false),
      at(200, false),
      ...Array.from({ length: 6 }, (_, i) => at(120 + i * 30, true)),
    ];
    const slow = evaluateBurnRates(events, 0.95, now)[1];
    expect(slow.long).toBeCloseTo(6, 10);
    expect(slow.short).toBeCloseTo(10, 10);
    expect(slow.firing).toBe(true);
    // One more good event in the 6 h: 3 bad of 11 → 0.2727 / 0.05 = 5.45 < 6.
    const slower = evaluateBurnRates([...events, at(300, true)], 0.95, now)[1];
    expect(slower.long).toBeCloseTo(60 / 11, 10);
    expect(slower.firing).toBe(false);
  });

  it('never fires below the minimum number of events in the long window', () => {
    const [fast] = evaluateBurnRates([at(1, false), at(2, false)], 0.99, now);
    expect(fast).toMatchObject({ events: 2, firing: false });
    expect(fast.long).toBeCloseTo(100, 10);
  });
});
