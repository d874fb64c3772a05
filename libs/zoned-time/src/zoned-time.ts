// Wall-clock times in IANA zones, from the platform's time-zone database (Intl): nothing to
// download, and the same rules the people's phones and calendars use.

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

export interface LocalDateTime extends LocalDate {
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** True when the platform knows this IANA zone name. */
export function isTimeZone(name: string): boolean {
  if (typeof name !== 'string' || name.length === 0 || name.length > 64) return false;
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock in `timeZone` at `instant` (ms since the epoch), with its weekday (0 = Sunday). */
export function wallClock(instant: number, timeZone: string): LocalDateTime & { second: number; weekday: number } {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const local = { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute };
  return { ...local, second: parts.second, weekday: weekday(local) };
}

/** Minutes the zone is ahead of UTC at `instant`. */
export function offsetMinutes(instant: number, timeZone: string): number {
  const wall = wallClock(instant, timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60_000);
}

/**
 * The instant a wall-clock time happens in `timeZone`. A time the clocks skip (spring forward)
 * happens at the moment they jump past it; a time they show twice (fall back) happens the first
 * time. So "09:00 every day" is always one instant, and a shift that starts at 02:30 on the night
 * 02:00–03:00 is skipped starts at 03:00, when the wall clock passes 02:30.
 */
export function instantOf(local: LocalDateTime, timeZone: string): number {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const before = offsetMinutes(asUtc - 36 * 3600_000, timeZone);
  const after = offsetMinutes(asUtc + 36 * 3600_000, timeZone);
  const candidates = [...new Set([before, after])]
    .map((offset) => asUtc - offset * 60_000)
    .filter((instant) => asUtc - offsetMinutes(instant, timeZone) * 60_000 === instant)
    .sort((a, b) => a - b);
  if (candidates.length > 0) return candidates[0];
  // Skipped: find the minute the offset changed, between reading the time with either offset.
  let low = asUtc - Math.max(before, after) * 60_000;
  let high = asUtc - Math.min(before, after) * 60_000;
  const lowOffset = offsetMinutes(low, timeZone);
  while (high - low > 60_000) {
    const middle = low + Math.floor((high - low) / 120_000) * 60_000;
    if (offsetMinutes(middle, timeZone) === lowOffset) low = middle;
    else high = middle;
  }
  return high;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const moved = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
}

/** Whole days from `a` to `b`. */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000);
}

export function weekday(date: LocalDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

/** 'YYYY-MM-DD' → a date, or undefined when it is not a real calendar date. */
export function parseLocalDate(text: string): LocalDate | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  const back = addDays(date, 0);
  return back.year === date.year && back.month === date.month && back.day === date.day ? date : undefined;
}

/** 'HH:mm' (00:00–23:59) → minutes after midnight, or undefined. */
export function parseClockTime(text: string): number | undefined {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

export const atMinute = (date: LocalDate, minutes: number): LocalDateTime => ({
  ...date,
  hour: Math.floor(minutes / 60),
  minute: minutes % 60,
});
