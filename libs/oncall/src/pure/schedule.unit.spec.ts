import fc from 'fast-check';
import type { Rotation } from './rotation';
import { currentAndNext, onCallAt, onCallSpans, personSpans, type Schedule, type ScheduleRule } from './schedule';
import { instantOf, parseClockTime, wallClock } from '@taskinbox/zoned-time';
import { clockTime, instant, zone } from '../../../zoned-time/src/zones.fixture';

const weekly: Rotation = {
  id: 'rot',
  name: 'ops',
  timeZone: 'Europe/Berlin',
  startDate: '2026-01-05',
  handoffTime: '10:00',
  shiftUnit: 'weeks',
  shiftLength: 1,
  people: ['ann', 'bob'],
  turnOffset: 0,
};
const rotations = new Map([[weekly.id, weekly]]);
const schedule = (overrides: Partial<Schedule> = {}): Schedule => ({
  id: 's',
  name: 'support',
  timeZone: 'Europe/Berlin',
  rules: [
    { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', target: { kind: 'rotation', id: 'rot' } },
    { days: [0, 6], start: '00:00', end: '00:00', target: { kind: 'user', id: 'weekend' } },
  ],
  overrides: [],
  ...overrides,
});
const at = (iso: string) => Date.parse(iso);

describe('a schedule', () => {
  it('puts the rotation on call in working hours, the weekend person at weekends, nobody on weekday nights', () => {
    const subject = schedule();
    // Monday 2026-03-09 10:30 Berlin (CET): week 10 of the rotation, turn 9 → bob.
    expect(onCallAt(subject, rotations, at('2026-03-09T09:30:00Z'))).toEqual(['bob']);
    expect(onCallAt(subject, rotations, at('2026-03-09T18:00:00Z'))).toEqual([]);
    expect(onCallAt(subject, rotations, at('2026-03-14T12:00:00Z'))).toEqual(['weekend']);
    // Monday 09:30 is before the 10:00 hand-off: last week's person (ann) still has it.
    expect(onCallAt(subject, rotations, at('2026-03-09T08:30:00Z'))).toEqual(['ann']);
  });

  it('applies overrides: add, remove, and replace', () => {
    const monday = at('2026-03-09T09:30:00Z');
    const window = { start: monday - 3600_000, end: monday + 3600_000 };
    expect(onCallAt(schedule({ overrides: [{ id: 'o', ...window, add: 'cy' }] }), rotations, monday)).toEqual([
      'bob',
      'cy',
    ]);
    expect(onCallAt(schedule({ overrides: [{ id: 'o', ...window, remove: 'bob' }] }), rotations, monday)).toEqual([]);
    expect(
      onCallAt(schedule({ overrides: [{ id: 'o', ...window, add: 'cy', remove: 'bob' }] }), rotations, monday),
    ).toEqual(['cy']);
    // Replacing someone who is not on call changes nothing.
    expect(
      onCallAt(schedule({ overrides: [{ id: 'o', ...window, add: 'cy', remove: 'ann' }] }), rotations, monday),
    ).toEqual(['bob']);
    expect(onCallAt(schedule({ overrides: [{ id: 'o', ...window, add: 'cy' }] }), rotations, window.end)).toEqual([
      'bob',
    ]);
  });

  it('says who is on call now, since when, and who is next', () => {
    const { current, next } = currentAndNext(schedule(), rotations, at('2026-03-09T12:00:00Z'));
    expect(current.people).toEqual(['bob']);
    expect(new Date(current.start).toISOString()).toBe('2026-03-09T09:00:00.000Z');
    expect(new Date(current.end).toISOString()).toBe('2026-03-09T16:00:00.000Z');
    expect(next!.people).toEqual([]);
    expect(new Date(next!.end).toISOString()).toBe('2026-03-10T08:00:00.000Z');
  });

  it('runs a night rule past midnight and keeps 22:00–06:00 on the wall clock across DST', () => {
    const night = schedule({
      timeZone: 'America/New_York',
      rules: [{ days: [6], start: '22:00', end: '06:00', target: { kind: 'user', id: 'owl' } }],
    });
    // Saturday 2026-03-07 22:00 EST → Sunday 06:00 EDT: 7 hours of wall clock, spring forward inside.
    const spans = personSpans(
      onCallSpans(night, rotations, at('2026-03-07T00:00:00Z'), at('2026-03-09T00:00:00Z')),
      'owl',
    );
    expect(spans.map((span) => [new Date(span.start).toISOString(), new Date(span.end).toISOString()])).toEqual([
      ['2026-03-08T03:00:00.000Z', '2026-03-08T10:00:00.000Z'],
    ]);
  });

  const rule: fc.Arbitrary<ScheduleRule> = fc.record({
    days: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
    start: clockTime,
    end: clockTime,
    target: fc.constant({ kind: 'user' as const, id: 'p' }),
  });

  it('has a rule active exactly when the wall clock in its zone is inside it, across every DST change', () => {
    fc.assert(
      fc.property(zone, rule, instant, (timeZone, subject, t) => {
        const minute = Math.floor(t / 60_000) * 60_000;
        const wall = wallClock(minute, timeZone);
        // The second pass through a repeated hour belongs to the first: only wall times seen once are compared.
        fc.pre(instantOf(wall, timeZone) === minute);
        const start = parseClockTime(subject.start)!;
        const end = parseClockTime(subject.end)!;
        const now = wall.hour * 60 + wall.minute;
        const today = subject.days.includes(wall.weekday);
        const yesterday = subject.days.includes((wall.weekday + 6) % 7);
        // end === start is a whole day of 24 hours from start, so like end before start it runs past midnight.
        const expected =
          start < end ? today && start <= now && now < end : (today && now >= start) || (yesterday && now < end);
        const got = onCallAt(schedule({ timeZone, rules: [subject] }), rotations, minute).includes('p');
        expect(got).toBe(expected);
      }),
      { numRuns: 600 },
    );
  });

  it('cuts any range into spans that touch, each with other people than the one before, agreeing with onCallAt', () => {
    fc.assert(
      fc.property(
        zone,
        fc.array(rule, { minLength: 1, maxLength: 3 }),
        instant,
        fc.integer({ min: 1, max: 14 * 24 }),
        fc.integer({ min: 0, max: 1000 }),
        (timeZone, rules, from, hours, probe) => {
          const subject = schedule({ timeZone, rules: [...rules, schedule().rules[0]] });
          const to = from + hours * 3600_000;
          const spans = onCallSpans(subject, rotations, from, to);
          expect(spans[0].start).toBe(from);
          expect(spans[spans.length - 1].end).toBe(to);
          for (let i = 1; i < spans.length; i++) {
            expect(spans[i].start).toBe(spans[i - 1].end);
            expect(spans[i].people).not.toEqual(spans[i - 1].people);
          }
          const t = from + Math.floor(((to - from) * probe) / 1000);
          if (t < to)
            expect(onCallAt(subject, rotations, t)).toEqual(
              spans.find((span) => span.start <= t && t < span.end)!.people,
            );
        },
      ),
      { numRuns: 150 },
    );
  });
});
