import { defaultMinSample, type EtaInput, estimate, pastDeadline } from './eta';

// Hand-computed estimates on fixed histories. Berlin is UTC+1 in December; 2026-12-05 is a Saturday.
const berlin = { timeZone: 'Europe/Berlin', workingDays: [1, 2, 3, 4, 5], dayStart: '09:00', dayEnd: '17:00' };
const none = { count: 0, p50: 0, p90: 0 };
const hour = 3600;
const at = (iso: string) => Date.parse(iso);

const input = (given: Partial<EtaInput>): EtaInput => ({
  now: at('2026-12-08T10:00:00Z'),
  hours: berlin,
  typeHistory: none,
  orgHistory: none,
  minSample: defaultMinSample,
  ahead: 0,
  onDuty: 1,
  features: {},
  hooks: [],
  ...given,
});

describe('the ETA', () => {
  it('starts the clock at Monday 09:00 when asked on the weekend', () => {
    // given a type that takes 1–2 h and a Saturday noon in Berlin
    const eta = estimate(input({ now: at('2026-12-05T11:00:00Z'), typeHistory: { count: 40, p50: hour, p90: 2 * hour } }));

    // then the range is Monday 09:00 + 1 h .. + 2 h
    expect(eta).toEqual({
      low: at('2026-12-07T09:00:00Z'),
      high: at('2026-12-07T10:00:00Z'),
      lowSeconds: hour,
      highSeconds: 2 * hour,
      explanation: [
        'Tasks of this type normally take 1 h to 2 h of working time.',
        "It's the weekend, so the clock starts Monday 09:00.",
        'Expect it between Monday 10:00 and Monday 11:00.',
      ],
    });
  });

  it('adds the backlog ahead, shared by the people on duty, and carries over to the next working day', () => {
    // given 30 min–1 h 30 min, Tuesday 15:00 Berlin, 3 tasks ahead and 2 people
    const eta = estimate(
      input({ now: at('2026-12-08T14:00:00Z'), typeHistory: { count: 25, p50: 1800, p90: 5400 }, ahead: 3, onDuty: 2 }),
    );

    // then 3 × 30 min ÷ 2 = 45 min more: 1 h 15 min (16:15) to 2 h 15 min (2 h today, 15 min Wednesday)
    expect(eta).toEqual({
      low: at('2026-12-08T15:15:00Z'),
      high: at('2026-12-09T08:15:00Z'),
      lowSeconds: 4500,
      highSeconds: 8100,
      explanation: [
        'Tasks of this type normally take 30 min to 1 h 30 min of working time.',
        '3 tasks are ahead of yours and 2 people work on them: add about 45 min.',
        'Expect it between today 16:15 and tomorrow 09:15.',
      ],
    });
  });

  it("applies the organisation's hooks in order, on the all-types history when the type has too few tasks", () => {
    // given 5 tasks of the type (too few), the organisation's 2–4 h, Wednesday 08:00 Berlin, a gold customer asking 2500
    const eta = estimate(
      input({
        now: at('2026-12-09T07:00:00Z'),
        typeHistory: { count: 5, p50: 60, p90: 120 },
        orgHistory: { count: 100, p50: 2 * hour, p90: 4 * hour },
        features: { payload: { tier: 'gold', amount: 2500 } },
        hooks: [
          { feature: '/payload/tier', op: 'eq', value: 'gold', multiply: 0.5, sentence: 'Gold customers go first.' },
          { feature: '/payload/amount', op: 'gt', value: 1000, addMinutes: 60, sentence: 'Refunds over 1000 get a second look: add 1 h.' },
          { feature: '/payload/amount', op: 'gt', value: 5000, addMinutes: 600, sentence: 'Never said.' },
          { feature: '/payload/region', op: 'in', value: ['eu'], multiply: 3, sentence: 'Never said either.' },
        ],
      }),
    );

    // then (2 h × 0.5 + 1 h) to (4 h × 0.5 + 1 h) from the 09:00 opening: 11:00 to 12:00
    expect(eta).toEqual({
      low: at('2026-12-09T10:00:00Z'),
      high: at('2026-12-09T11:00:00Z'),
      lowSeconds: 2 * hour,
      highSeconds: 3 * hour,
      explanation: [
        'Few tasks of this type are finished yet, so this is based on all our tasks: they normally take 2 h to 4 h of working time.',
        'Gold customers go first.',
        'Refunds over 1000 get a second look: add 1 h.',
        'We open at 09:00, so the clock starts today 09:00.',
        'Expect it between today 11:00 and today 12:00.',
      ],
    });
  });

  it('after closing time the clock starts at the next opening', () => {
    // given Thursday 18:30 Berlin and 1–2 h
    const eta = estimate(input({ now: at('2026-12-10T17:30:00Z'), typeHistory: { count: 20, p50: hour, p90: 2 * hour } }));

    // then Friday 10:00 to 11:00
    expect(eta?.explanation.slice(1)).toEqual([
      'We have closed for the day, so the clock starts tomorrow 09:00.',
      'Expect it between tomorrow 10:00 and tomorrow 11:00.',
    ]);
    expect(eta?.low).toBe(at('2026-12-11T09:00:00Z'));
  });

  it('says the clock waits for the end user while the task waits on them', () => {
    // given Tuesday 11:00 Berlin, 1–2 h, and a question open to the end user
    const eta = estimate(input({ typeHistory: { count: 30, p50: hour, p90: 2 * hour }, waitingForAnswer: true }));

    // then counted from now, with the sentence before the range
    expect(eta?.explanation).toEqual([
      'Tasks of this type normally take 1 h to 2 h of working time.',
      'We need your answer first: the clock starts when you send it.',
      'Expect it between today 12:00 and today 13:00.',
    ]);
  });

  it('gives no estimate without enough history', () => {
    expect(estimate(input({ typeHistory: { count: 19, p50: hour, p90: hour }, orgHistory: { count: 19, p50: hour, p90: hour } }))).toBeUndefined();
  });
});

describe('an ETA past the deadline', () => {
  // Berlin Tuesday 11:00 (10:00Z); the type takes 1–2 h; 2 tasks ahead and 1 person add 2 × 1 h:
  // the range is 3 h to 4 h of working time, so the latest time is 15:00 Berlin (14:00Z).
  const eta = estimate(input({ typeHistory: { count: 40, p50: hour, p90: 2 * hour }, ahead: 2, onDuty: 1 }));

  it('flags a deadline before the latest time, not one after it', () => {
    expect(eta?.high).toBe(at('2026-12-08T14:00:00Z'));
    expect(pastDeadline(eta, at('2026-12-08T13:00:00Z'))).toBe(true);
    expect(pastDeadline(eta, at('2026-12-08T14:00:00Z'))).toBe(false);
    expect(pastDeadline(eta, at('2026-12-08T15:00:00Z'))).toBe(false);
  });

  it('counts the weekend: asked Friday 16:00 Berlin, 2 h of work ends Monday 10:00 Berlin', () => {
    const friday = estimate(input({ now: at('2026-12-11T15:00:00Z'), typeHistory: { count: 40, p50: hour, p90: 2 * hour } }));
    expect(friday?.high).toBe(at('2026-12-14T09:00:00Z'));
    expect(pastDeadline(friday, at('2026-12-12T12:00:00Z'))).toBe(true);
    expect(pastDeadline(friday, at('2026-12-14T10:00:00Z'))).toBe(false);
  });

  it('says nothing without a deadline or without enough history', () => {
    expect(pastDeadline(eta, undefined)).toBeUndefined();
    expect(pastDeadline(estimate(input({ typeHistory: { count: 3, p50: hour, p90: 2 * hour } })), at('2026-12-08T13:00:00Z'))).toBeUndefined();
  });
});
