/**
 * SLO arithmetic over SLI events, pure. An event is one task of the SLO's type: good when it was
 * completed within the objective's business time, bad when it was completed later, or is still
 * open and already past it (counted at once, not only when it is finally resolved).
 */
export interface SliEvent {
  /** When it counted: the completion, or for an open task past the objective, now. */
  at: number;
  good: boolean;
}

export interface Attainment {
  total: number;
  good: number;
  bad: number;
  /** good / total; null without events. */
  attainment: number | null;
  errorBudget: {
    /** Bad events the objective allows over the window: (1 - target) × total. */
    allowedBad: number;
    /** Share of the budget left: 1 - bad / allowedBad (allowedBad > 0 as target < 1); negative once overspent, 1 without events. */
    remaining: number;
  };
}

export function attainment(events: readonly SliEvent[], target: number): Attainment {
  const total = events.length;
  const bad = events.filter((event) => !event.good).length;
  const allowedBad = (1 - target) * total;
  const remaining = total === 0 ? 1 : 1 - bad / allowedBad;
  return {
    total,
    good: total - bad,
    bad,
    attainment: total === 0 ? null : (total - bad) / total,
    errorBudget: { allowedBad, remaining },
  };
}

/**
 * How fast the budget burns in the `windowMs` before `now`: the bad share over the allowed bad
 * share. 1 spends exactly the budget over the SLO window; 0 without events.
 */
export function burnRate(
  events: readonly SliEvent[],
  target: number,
  windowMs: number,
  now: number,
): { rate: number; total: number } {
  const inWindow = events.filter((event) => event.at > now - windowMs && event.at <= now);
  if (inWindow.length === 0) return { rate: 0, total: 0 };
  const badShare = inWindow.filter((event) => !event.good).length / inWindow.length;
  return { rate: badShare / (1 - target), total: inWindow.length };
}

export interface BurnRateRule {
  name: string;
  longMs: number;
  shortMs: number;
  /** Alert when both windows burn at least this fast. */
  threshold: number;
}

const minute = 60_000;
const hour = 60 * minute;

/** The SRE workbook's paging rows for a 30-day SLO: 2% of the budget in 1 h, 5% in 6 h. */
export const pagingRules: readonly BurnRateRule[] = [
  { name: 'fast', longMs: hour, shortMs: 5 * minute, threshold: 14.4 },
  { name: 'slow', longMs: 6 * hour, shortMs: 30 * minute, threshold: 6 },
];

export interface BurnRateEvaluation {
  rule: string;
  threshold: number;
  long: number;
  short: number;
  /** Events in the long window: below the minimum a rule never fires (low volume is noise). */
  events: number;
  firing: boolean;
}

export function evaluateBurnRates(
  events: readonly SliEvent[],
  target: number,
  now: number,
  rules: readonly BurnRateRule[] = pagingRules,
  minEvents = 3,
): BurnRateEvaluation[] {
  return rules.map((rule) => {
    const long = burnRate(events, target, rule.longMs, now);
    const short = burnRate(events, target, rule.shortMs, now);
    // Targets such as 0.95 are not exact in binary: a burn of exactly the threshold must still count.
    const reaches = (rate: number) => rate >= rule.threshold - 1e-9;
    const firing = long.total >= minEvents && reaches(long.rate) && reaches(short.rate);
    return {
      rule: rule.name,
      threshold: rule.threshold,
      long: long.rate,
      short: short.rate,
      events: long.total,
      firing,
    };
  });
}
