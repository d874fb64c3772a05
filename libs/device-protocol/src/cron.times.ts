import { Cron } from 'croner';

// Cron times by croner (OCPS), evaluated on the wall clock of an IANA time zone. Daylight saving:
// - spring forward: a time inside the skipped hour (02:30 in Europe/Berlin on the last Sunday of
//   March) runs at the first moment after the gap (03:00 CEST) that day; patterns whose hour is a
//   wildcard or a list simply have no run in the missing hour;
// - fall back: a specific time inside the repeated hour (02:30) runs once, at its first
//   occurrence (02:30 CEST); hourly and more frequent patterns run in both passes of the hour.
// Proved by cron.times.unit.spec.ts and the devices DST e2e test.

/** Five fields (minute … day of week), or six with seconds first, or a nickname (@daily, @hourly, …). */
const fieldCount = (pattern: string): number => pattern.trim().split(/\s+/).length;

/** Why `pattern` in `timeZone` cannot be a schedule, or undefined when it can. */
export function cronProblem(pattern: string, timeZone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    return `timezone '${timeZone}' is not an IANA time zone (e.g. Europe/Berlin)`;
  }
  const nickname = pattern.trim().startsWith('@');
  if (!nickname && ![5, 6].includes(fieldCount(pattern))) {
    return 'cron must have 5 fields (minute hour day month weekday) or 6 (seconds first)';
  }
  try {
    const cron = new Cron(pattern, { timezone: timeZone, paused: true });
    if (!cron.nextRun(new Date())) return 'cron never comes due';
  } catch (error) {
    return `cron is not valid: ${(error as Error).message.replace(/^CronPattern: /, '')}`;
  }
  return undefined;
}

const cronOf = (pattern: string, timeZone: string): Cron => new Cron(pattern, { timezone: timeZone, paused: true });

/** The first `count` slots after `after`. */
export function nextSlots(pattern: string, timeZone: string, after: Date, count: number): Date[] {
  const cron = cronOf(pattern, timeZone);
  const slots: Date[] = [];
  let at: Date | null = after;
  while (slots.length < count && (at = cron.nextRun(at))) slots.push(at);
  return slots;
}

/**
 * Slots after `from` up to and including `to`, oldest first; at most the newest `limit` of
 * them, with how many older ones were left out.
 */
export function slotsBetween(
  pattern: string,
  timeZone: string,
  from: Date,
  to: Date,
  limit: number,
): { slots: Date[]; omitted: number } {
  const cron = cronOf(pattern, timeZone);
  const slots: Date[] = [];
  let omitted = 0;
  let at: Date | null = from;
  while ((at = cron.nextRun(at)) && at.getTime() <= to.getTime()) {
    slots.push(at);
    if (slots.length > limit) {
      slots.shift();
      omitted++;
    }
  }
  return { slots, omitted };
}

/** Whether `at` is exactly one of the pattern's slots. */
export function isSlot(pattern: string, timeZone: string, at: Date): boolean {
  const next = cronOf(pattern, timeZone).nextRun(new Date(at.getTime() - 1));
  return next !== null && next.getTime() === at.getTime();
}
