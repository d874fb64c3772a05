import { formatAgo } from './task.format';

// formatAgo writes its English out (no Intl on the inbox's first render); it must say what
// Intl.RelativeTimeFormat says in English, for every unit and both directions.
const intl = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const now = Date.parse('2026-03-10T12:00:00Z');
const steps: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 31_536_000],
  ['month', 2_592_000],
  ['week', 604_800],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
];

it.each([0, 1, -1, 2, -2, 30, -59, 60, -61, 90, 3_599, -3_600, 7_200, -86_400, 86_400, -172_800, 604_800, -604_800, 1_900_000, -2_592_000, 5_184_000, -31_536_000, 31_536_000, -94_608_000, 3_153_600_000, -31_536_000_000])(
  'says %i seconds from now as Intl does in English',
  (offset) => {
    const [unit, size] = steps.find(([, size]) => Math.abs(offset) >= size) ?? ['second', 1];
    expect(formatAgo(new Date(now + offset * 1000).toISOString(), now)).toBe(intl.format(Math.round(offset / size), unit));
  },
);

it('reads a task created a few minutes ago the way a person says it', () => {
  expect(formatAgo('2026-03-10T11:57:00Z', now)).toBe('3 minutes ago');
  expect(formatAgo('2026-03-09T12:00:00Z', now)).toBe('yesterday');
  expect(formatAgo('2026-03-12T12:00:00Z', now)).toBe('in 2 days');
});
