import fc from 'fast-check';
import { handoffAt, offsetKeepingCurrent, type Rotation, shiftAt, shiftsBetween } from './rotation';
import { parseClockTime, wallClock } from '@taskinbox/zoned-time';
import { clockTime, instant, localDate, zone } from '../../../zoned-time/src/zones.fixture';

const rotation = (overrides: Partial<Rotation> = {}): Rotation => ({
  id: 'r',
  name: 'ops',
  timeZone: 'America/New_York',
  startDate: '2026-03-02',
  handoffTime: '09:00',
  shiftUnit: 'days',
  shiftLength: 1,
  people: ['ann', 'bob', 'cy'],
  turnOffset: 0,
  ...overrides,
});

const anyRotation = fc
  .record({
    timeZone: zone,
    startDate: localDate,
    handoffTime: clockTime,
    shiftUnit: fc.constantFrom('hours', 'days', 'weeks' as const),
    shiftLength: fc.integer({ min: 1, max: 4 }),
    people: fc.uniqueArray(fc.constantFrom('ann', 'bob', 'cy', 'dee'), { minLength: 1, maxLength: 4 }),
    turnOffset: fc.integer({ min: 0, max: 3 }),
  })
  .map((fields) => rotation(fields as Partial<Rotation>));

const hour = 3600_000;

describe('a rotation', () => {
  it('hands a daily shift over at 09:00 New York time on both sides of spring forward and fall back', () => {
    const daily = rotation();
    const at = (iso: string) => shiftAt(daily, Date.parse(iso))!;
    // Sunday 2026-03-08 is spring forward: the shift over that night is 23 hours, 09:00 EST → 09:00 EDT.
    const spring = at('2026-03-08T12:00:00Z');
    expect(new Date(spring.start).toISOString()).toBe('2026-03-07T14:00:00.000Z');
    expect(new Date(spring.end).toISOString()).toBe('2026-03-08T13:00:00.000Z');
    expect((spring.end - spring.start) / hour).toBe(23);
    // Sunday 2026-11-01 is fall back: 25 hours.
    const autumn = at('2026-11-01T12:00:00Z');
    expect((autumn.end - autumn.start) / hour).toBe(25);
    expect(wallClock(autumn.end, 'America/New_York')).toMatchObject({ hour: 9, minute: 0 });
    // Turn by turn: ann, bob, cy, ann…
    expect([0, 1, 2, 3].map((turn) => shiftAt(daily, handoffAt(daily, turn))!.person)).toEqual([
      'ann',
      'bob',
      'cy',
      'ann',
    ]);
  });

  it('keeps hourly shifts at fixed elapsed lengths across a DST change', () => {
    const hourly = rotation({ shiftUnit: 'hours', shiftLength: 12, startDate: '2026-03-07', handoffTime: '20:00' });
    const shifts = shiftsBetween(hourly, Date.parse('2026-03-07T00:00:00Z'), Date.parse('2026-03-10T00:00:00Z'));
    for (const shift of shifts) expect(shift.end - shift.start).toBe(12 * hour);
  });

  it('covers every instant with exactly one shift, the shifts touching end to start (any zone, any DST change)', () => {
    fc.assert(
      fc.property(anyRotation, instant, (subject, t) => {
        const shift = shiftAt(subject, t)!;
        expect(shift.start).toBeLessThanOrEqual(t);
        expect(shift.end).toBeGreaterThan(t);
        const next = shiftAt(subject, shift.end)!;
        expect(next.start).toBe(shift.end);
        expect(next.turn).toBe(shift.turn + 1);
        expect(next.person).toBe(subject.people[(subject.people.indexOf(shift.person) + 1) % subject.people.length]);
      }),
      { numRuns: 400 },
    );
  });

  it('hands day and week shifts over at the hand-off wall-clock time, or when the clocks jump past it', () => {
    fc.assert(
      fc.property(
        anyRotation.filter((subject) => subject.shiftUnit !== 'hours'),
        instant,
        (subject, t) => {
          const shift = shiftAt(subject, t)!;
          const shown = wallClock(shift.start, subject.timeZone);
          const wanted = parseClockTime(subject.handoffTime)!;
          const got = shown.hour * 60 + shown.minute;
          if (got !== wanted) {
            // Skipped that day: a minute earlier the clock was before the hand-off time.
            const before = wallClock(shift.start - 60_000, subject.timeZone);
            expect(before.hour * 60 + before.minute).toBeLessThan(wanted);
            expect(got).toBeGreaterThan(wanted);
          }
          // A shift of n days lasts n × 24 hours give or take the DST changes inside it.
          const days = subject.shiftLength * (subject.shiftUnit === 'weeks' ? 7 : 1);
          expect(Math.abs(shift.end - shift.start - days * 24 * hour)).toBeLessThanOrEqual(2 * hour);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('lists the shifts of a range without gaps', () => {
    fc.assert(
      fc.property(anyRotation, instant, fc.integer({ min: 1, max: 40 * 24 }), (subject, from, hours) => {
        const to = from + hours * hour;
        const shifts = shiftsBetween(subject, from, to);
        expect(shifts[0].start).toBeLessThanOrEqual(from);
        expect(shifts[shifts.length - 1].end).toBeGreaterThanOrEqual(to);
        for (let i = 1; i < shifts.length; i++) expect(shifts[i].start).toBe(shifts[i - 1].end);
      }),
      { numRuns: 100 },
    );
  });

  it('keeps whoever is on call on call when people are added, removed or reordered', () => {
    fc.assert(
      fc.property(
        anyRotation,
        instant,
        fc.uniqueArray(fc.constantFrom('ann', 'bob', 'cy', 'dee', 'eve'), { minLength: 1, maxLength: 5 }),
        (subject, now, people) => {
          const before = shiftAt(subject, now)!.person;
          const edited = { ...subject, people, turnOffset: offsetKeepingCurrent(subject, people, now) };
          const after = shiftAt(edited, now)!.person;
          if ((people as string[]).includes(before)) expect(after).toBe(before);
          else expect(people).toContain(after);
        },
      ),
      { numRuns: 200 },
    );
  });
});
