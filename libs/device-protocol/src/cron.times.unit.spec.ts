import { cronProblem, isSlot, nextSlots, slotsBetween } from './cron.times';

const iso = (dates: Date[]) => dates.map((date) => date.toISOString());

describe('cron times in an IANA time zone', () => {
  it('keeps a daily time on the wall clock across spring forward (Europe/Berlin, 29 March 2026)', () => {
    // 09:00 CET is 08:00Z; after the change 09:00 CEST is 07:00Z.
    expect(iso(nextSlots('0 9 * * *', 'Europe/Berlin', new Date('2026-03-27T12:00:00Z'), 3))).toEqual([
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T07:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ]);
  });

  it('runs a time inside the skipped hour at the first moment after the gap, once', () => {
    expect(iso(nextSlots('30 2 * * *', 'Europe/Berlin', new Date('2026-03-28T12:00:00Z'), 2))).toEqual([
      '2026-03-29T01:00:00.000Z', // 03:00 CEST: 02:30 does not exist that day
      '2026-03-30T00:30:00.000Z', // 02:30 CEST
    ]);
  });

  it('runs a time inside the repeated hour once, at its first occurrence (fall back, 25 October 2026)', () => {
    expect(iso(nextSlots('30 2 * * *', 'Europe/Berlin', new Date('2026-10-24T12:00:00Z'), 2))).toEqual([
      '2026-10-25T00:30:00.000Z', // 02:30 CEST; 02:30 CET (01:30Z) does not run again
      '2026-10-26T01:30:00.000Z',
    ]);
  });

  it('runs an hourly pattern in both passes of the repeated hour and skips none', () => {
    expect(iso(nextSlots('0 * * * *', 'Europe/Berlin', new Date('2026-10-24T23:30:00Z'), 4))).toEqual([
      '2026-10-25T00:00:00.000Z',
      '2026-10-25T01:00:00.000Z',
      '2026-10-25T02:00:00.000Z',
      '2026-10-25T03:00:00.000Z',
    ]);
  });

  it('lists the slots between two times, newest kept when there are more than the limit', () => {
    const from = new Date('2026-01-01T00:00:00Z');
    const to = new Date('2026-01-01T00:10:00Z');
    expect(slotsBetween('* * * * *', 'UTC', from, to, 100).slots).toHaveLength(10);
    const capped = slotsBetween('* * * * *', 'UTC', from, to, 3);
    expect(iso(capped.slots)).toEqual([
      '2026-01-01T00:08:00.000Z',
      '2026-01-01T00:09:00.000Z',
      '2026-01-01T00:10:00.000Z',
    ]);
    expect(capped.omitted).toBe(7);
  });

  it('tells a slot from a time that is not one', () => {
    expect(isSlot('0 9 * * *', 'Europe/Berlin', new Date('2026-03-29T07:00:00Z'))).toBe(true);
    expect(isSlot('0 9 * * *', 'Europe/Berlin', new Date('2026-03-29T08:00:00Z'))).toBe(false);
    expect(isSlot('0 9 * * *', 'Europe/Berlin', new Date('2026-03-29T07:00:00.001Z'))).toBe(false);
  });

  it('names what is wrong with a pattern or a zone', () => {
    expect(cronProblem('0 9 * * 1-5', 'America/New_York')).toBeUndefined();
    expect(cronProblem('*/10 * * * * *', 'UTC')).toBeUndefined();
    expect(cronProblem('@daily', 'UTC')).toBeUndefined();
    expect(cronProblem('61 * * * *', 'UTC')).toMatch(/minute/);
    expect(cronProblem('* * *', 'UTC')).toMatch(/5 fields/);
    expect(cronProblem('0 9 * * *', 'Mars/Olympus')).toMatch(/IANA/);
    expect(cronProblem('0 0 30 2 *', 'UTC')).toBeDefined();
  });
});
