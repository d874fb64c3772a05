import { evaluateUrgency, type UrgencyFacts, type UrgencyRule } from './urgency.rules';

const now = new Date('2026-03-04T12:00:00Z');
const facts = (extra: Partial<UrgencyFacts> = {}): UrgencyFacts => ({
  taskType: 'refund',
  now,
  tags: [],
  payload: {},
  ...extra,
});

// An organisation's list, in order: the first rule that holds wins.
const rules: UrgencyRule[] = [
  { when: { overdue: true }, level: 'critical', reason: 'Past its deadline' },
  { when: { sloHoursLeftBelow: 1 }, level: 'critical', reason: 'Less than 1 business hour left on the SLO' },
  { when: { flagged: true }, level: 'high', reason: 'Flagged urgent' },
  {
    when: { payload: { path: 'customer.tier', equals: 'gold' }, taskTypes: ['refund', 'payout'] },
    level: 'high',
    reason: 'Gold customer',
  },
  { when: { dueWithinHours: 4 }, level: 'high', reason: 'Due within 4 hours' },
  { when: { etaPastDeadline: true }, level: 'high', reason: 'Expected after its deadline' },
  { when: { taskTypes: ['newsletter'] }, level: 'low', reason: 'Newsletters can wait' },
];

describe('urgency rules (first match wins)', () => {
  it('a task matching nothing is normal, without a reason', () => {
    expect(evaluateUrgency(rules, facts())).toEqual({ level: 'normal', reason: null });
    expect(evaluateUrgency([], facts({ tags: ['urgent'] }))).toEqual({ level: 'normal', reason: null });
  });

  it('deadline: one minute past is critical; 3 h 59 min ahead is high; 4 h 1 min ahead is normal', () => {
    expect(evaluateUrgency(rules, facts({ dueAt: new Date('2026-03-04T11:59:00Z') }))).toEqual({
      level: 'critical',
      reason: 'Past its deadline',
    });
    expect(evaluateUrgency(rules, facts({ dueAt: new Date('2026-03-04T15:59:00Z') }))).toEqual({
      level: 'high',
      reason: 'Due within 4 hours',
    });
    expect(evaluateUrgency(rules, facts({ dueAt: new Date('2026-03-04T16:01:00Z') })).level).toBe('normal');
  });

  it('SLO time left: 3599 s is under an hour (critical), 3600 s is not', () => {
    expect(evaluateUrgency(rules, facts({ sloSecondsLeft: 3599 })).reason).toBe(
      'Less than 1 business hour left on the SLO',
    );
    expect(evaluateUrgency(rules, facts({ sloSecondsLeft: 3600 })).level).toBe('normal');
    expect(evaluateUrgency(rules, facts({ sloSecondsLeft: -10 })).level).toBe('critical');
    // A type without an SLO never matches an SLO condition.
    expect(evaluateUrgency(rules, facts()).level).toBe('normal');
  });

  it('order decides: an overdue flagged task is critical for being overdue, not high for the flag', () => {
    expect(evaluateUrgency(rules, facts({ tags: ['urgent'], dueAt: new Date('2026-03-04T11:00:00Z') }))).toEqual({
      level: 'critical',
      reason: 'Past its deadline',
    });
    expect(evaluateUrgency(rules, facts({ tags: ['urgent'] }))).toEqual({ level: 'high', reason: 'Flagged urgent' });
  });

  it('every condition of a rule must hold: a gold customer counts only on refunds and payouts', () => {
    const gold = { customer: { tier: 'gold' } };
    expect(evaluateUrgency(rules, facts({ payload: gold })).reason).toBe('Gold customer');
    expect(evaluateUrgency(rules, facts({ taskType: 'onboarding', payload: gold })).level).toBe('normal');
    expect(evaluateUrgency(rules, facts({ payload: { customer: { tier: 'silver' } } })).level).toBe('normal');
    expect(evaluateUrgency(rules, facts({ payload: { customer: 'gold' } })).level).toBe('normal');
    expect(evaluateUrgency(rules, facts({ payload: { 'customer.tier': 'gold' } })).level).toBe('normal');
  });

  it('payload values compare as text: 3 equals "3", an array never matches', () => {
    const numeric: UrgencyRule[] = [
      { when: { payload: { path: 'attempts', equals: '3' } }, level: 'high', reason: 'Third attempt' },
    ];
    expect(evaluateUrgency(numeric, facts({ payload: { attempts: 3 } })).level).toBe('high');
    expect(evaluateUrgency(numeric, facts({ payload: { attempts: [3] } })).level).toBe('normal');
  });

  it('ETA past the deadline matches only when an ETA is known', () => {
    expect(evaluateUrgency(rules, facts({ etaPastDeadline: true })).reason).toBe('Expected after its deadline');
    expect(evaluateUrgency(rules, facts({ etaPastDeadline: false })).level).toBe('normal');
    expect(evaluateUrgency(rules, facts({ taskType: 'newsletter' }))).toEqual({
      level: 'low',
      reason: 'Newsletters can wait',
    });
  });

  it('a rule with no condition matches every task (a catch-all at the end)', () => {
    expect(evaluateUrgency([...rules, { when: {}, level: 'low', reason: 'Everything else' }], facts()).reason).toBe(
      'Everything else',
    );
  });
});
