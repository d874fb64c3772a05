// Working hours in an IANA zone (the organisation's calendar, the same one business-hours stats
// use), from the platform's time-zone database (Intl). Instants are ms since the epoch.

export interface WorkingHours {
  timeZone: string;
  /** ISO weekdays, Monday = 1. */
  workingDays: number[];
  /** 'HH:MM', dayStart < dayEnd. */
  dayStart: string;
  dayEnd: string;
}

export interface LocalDay {
  year: number;
  month: number;
  day: number;
  /** ISO weekday, Monday = 1. */
  isoWeekday: number;
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

/** The wall clock in `timeZone` at `instant`. */
export function wallClock(instant: number, timeZone: string): LocalDay & { hour: number; minute: number; second: number } {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const isoWeekday = ((new Date(Date.UTC(parts.year, parts.month - 1, parts.day)).getUTCDay() + 6) % 7) + 1;
  return { year: parts.year, month: parts.month, day: parts.day, isoWeekday, hour: parts.hour, minute: parts.minute, second: parts.second };
}

function offsetMs(instant: number, timeZone: string): number {
  const wall = wallClock(instant, timeZone);
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - Math.floor(instant / 1000) * 1000;
}

/** The instant `time` ('HH:MM') happens on `day` in `timeZone` (a skipped time: just after the jump). */
export function instantAt(day: Omit<LocalDay, 'isoWeekday'>, time: string, timeZone: string): number {
  const [hour, minute] = time.split(':').map(Number);
  const asUtc = Date.UTC(day.year, day.month - 1, day.day, hour, minute);
  const first = asUtc - offsetMs(asUtc, timeZone);
  const second = asUtc - offsetMs(first, timeZone);
  return Math.max(first, second);
}

const dayMs = 86_400_000;

/** The local day after `day` (calendar arithmetic, so DST never skips or repeats a day). */
function nextDay(day: LocalDay): LocalDay {
  const next = new Date(Date.UTC(day.year, day.month - 1, day.day) + dayMs);
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), isoWeekday: (day.isoWeekday % 7) + 1 };
}

/** The working intervals [open, close) from the local day of `from` on, in order (at most two weeks' worth). */
function* openings(from: number, hours: WorkingHours): Generator<[number, number]> {
  let day: LocalDay = wallClock(from, hours.timeZone);
  for (let i = 0; i < 15; i++, day = nextDay(day)) {
    if (!hours.workingDays.includes(day.isoWeekday)) continue;
    const open = instantAt(day, hours.dayStart, hours.timeZone);
    const close = instantAt(day, hours.dayEnd, hours.timeZone);
    if (close > from) yield [Math.max(open, from), close];
  }
}

/** `instant` itself within working hours, else the next opening; undefined for a calendar without working days. */
export function clockStart(instant: number, hours: WorkingHours): number | undefined {
  for (const [open] of openings(instant, hours)) return open;
  return undefined;
}

/** The instant `seconds` of working time after `start` (which is within working hours). */
export function addWorkingSeconds(start: number, seconds: number, hours: WorkingHours): number {
  let left = seconds * 1000;
  let from = start;
  for (;;) {
    let progressed = false;
    for (const [open, close] of openings(from, hours)) {
      progressed = true;
      if (left <= close - open) return open + left;
      left -= close - open;
      from = close;
    }
    // No working day in two weeks: there is no such instant; the caller checked clockStart first.
    if (!progressed) return Number.POSITIVE_INFINITY;
  }
}
