import fc from 'fast-check';

// Zones with DST both ways, half-hour DST, southern-hemisphere DST and none at all.
export const zones = [
  'America/New_York',
  'Europe/Berlin',
  'Australia/Lord_Howe',
  'America/Santiago',
  'Australia/Sydney',
  'Asia/Kolkata',
  'UTC',
];
export const zone = fc.constantFrom(...zones);
export const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) });
export const clockTime = fc
  .record({ hour: fc.integer({ min: 0, max: 23 }), minute: fc.constantFrom(0, 15, 30, 45) })
  .map(({ hour, minute }) => `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`);
export const localDate = fc
  .record({
    year: fc.integer({ min: 2020, max: 2034 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
  })
  .map(({ year, month, day }) => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
