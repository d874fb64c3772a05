// Working hours in an IANA zone (the organisation's calendar, the same one business-hours stats
// use). Instants are ms since the epoch.

import { instantOf, wallClock as zonedWallClock } from '@taskinbox/zoned-time';

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

/** The wall clock in `timeZone` at `instant`. */
export function wallClock(instant: number, timeZone: string): LocalDay & { hour: number; minute: number; second: number } {
  const { weekday, ...wall } = zonedWallClock(instant, timeZone);
  return { ...wall, isoWeekday: ((weekday + 6) % 7) + 1 };
}

/** The instant `time` ('HH:MM') happens on `day` in `timeZone` (a skipped time: when the clocks jump past it). */
export function instantAt(day: Omit<LocalDay, 'isoWeekday'>, time: string, timeZone: string): number {
  const [hour, minute] = time.split(':').map(Number);
  return instantOf({ year: day.year, month: day.month, day: day.day, hour, minute }, timeZone);
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
