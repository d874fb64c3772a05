import fc from 'fast-check';
import { instantOf, offsetMinutes, wallClock } from './zoned-time';
import { instant as instants, zones } from './zones.fixture';

describe('wall clocks in IANA zones', () => {
  it('knows the spring-forward and fall-back instants of New York and Berlin', () => {
    // 2026-03-08 02:30 does not exist in New York: it happens when the clocks jump, 03:00 EDT.
    expect(
      new Date(instantOf({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, 'America/New_York')).toISOString(),
    ).toBe('2026-03-08T07:00:00.000Z');
    // 2026-11-01 01:30 happens twice in New York: the first time (EDT) counts.
    expect(
      new Date(instantOf({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, 'America/New_York')).toISOString(),
    ).toBe('2026-11-01T05:30:00.000Z');
    expect(
      new Date(instantOf({ year: 2026, month: 10, day: 25, hour: 2, minute: 30 }, 'Europe/Berlin')).toISOString(),
    ).toBe('2026-10-25T00:30:00.000Z');
    expect(offsetMinutes(Date.UTC(2026, 0, 10), 'Australia/Lord_Howe')).toBe(660);
    expect(offsetMinutes(Date.UTC(2026, 6, 10), 'Australia/Lord_Howe')).toBe(630);
  });

  it('reads back every instant whose wall-clock time happens once', () => {
    fc.assert(
      fc.property(fc.constantFrom(...zones), instants, (zone, instant) => {
        const minute = Math.floor(instant / 60_000) * 60_000;
        const wall = wallClock(minute, zone);
        const back = instantOf(wall, zone);
        // Only the second pass through a repeated hour maps to the first pass, an hour or less earlier.
        if (back !== minute) {
          expect(back).toBeLessThan(minute);
          expect(minute - back).toBeLessThanOrEqual(3600_000);
          expect(wallClock(back, zone)).toEqual(wall);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('maps every wall-clock time to an instant that shows it, or to the jump past it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.record({
          year: fc.integer({ min: 2020, max: 2034 }),
          month: fc.integer({ min: 1, max: 12 }),
          day: fc.integer({ min: 1, max: 28 }),
          hour: fc.integer({ min: 0, max: 23 }),
          minute: fc.integer({ min: 0, max: 59 }),
        }),
        (zone, local) => {
          const instant = instantOf(local, zone);
          const shown = wallClock(instant, zone);
          const { second: _second, weekday: _weekday, ...asLocal } = shown;
          if (JSON.stringify(asLocal) === JSON.stringify(local)) return;
          // A skipped time: a minute earlier the clock showed an earlier time than asked for, now a later one.
          const before = wallClock(instant - 60_000, zone);
          const key = (t: typeof local) => Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute);
          expect(key(before)).toBeLessThan(key(local));
          expect(key(asLocal)).toBeGreaterThan(key(local));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
