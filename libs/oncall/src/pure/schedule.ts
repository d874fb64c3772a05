import { type Rotation, shiftsBetween } from './rotation';
import { addDays, atMinute, instantOf, parseClockTime, wallClock } from '@taskinbox/zoned-time';

/** Who a rule puts on call: a rotation's current person, or one person. */
export type RuleTarget = { kind: 'rotation'; id: string } | { kind: 'user'; id: string };

/**
 * On these weekdays (0 = Sunday) from `start` to `end` wall-clock time in the schedule's zone.
 * `end` before `start` runs past midnight into the next day; `end` equal to `start` is a whole day: 24 hours from `start`.
 */
export interface ScheduleRule {
  days: number[];
  start: string;
  end: string;
  target: RuleTarget;
}

/** A temporary change: `add` alone adds a person, `remove` alone takes one off, both replace one by the other. */
export interface Override {
  id: string;
  start: number;
  end: number;
  add?: string;
  remove?: string;
}

export interface Schedule {
  id: string;
  name: string;
  timeZone: string;
  rules: ScheduleRule[];
  overrides: Override[];
}

/** A stretch of time with the same people on call (none is a stretch too). */
export interface OnCallSpan {
  start: number;
  end: number;
  people: string[];
}

type Interval = { start: number; end: number };

const day = 86_400_000;

/** When `rule` is active, for every local day that may overlap [from, to). */
function ruleIntervals(rule: ScheduleRule, timeZone: string, from: number, to: number): Interval[] {
  const start = parseClockTime(rule.start) ?? 0;
  const end = parseClockTime(rule.end) ?? 0;
  const first = wallClock(from - 2 * day, timeZone);
  const last = wallClock(to + 2 * day, timeZone);
  const intervals: Interval[] = [];
  for (let date = { year: first.year, month: first.month, day: first.day }; ; date = addDays(date, 1)) {
    const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
    if (rule.days.includes(weekday)) {
      const begins = instantOf(atMinute(date, start), timeZone);
      const ends = instantOf(atMinute(end > start ? date : addDays(date, 1), end), timeZone);
      if (ends > begins && ends > from && begins < to) intervals.push({ start: begins, end: ends });
    }
    if (date.year === last.year && date.month === last.month && date.day === last.day) break;
  }
  return intervals;
}

const inside = (intervals: Interval[], instant: number) =>
  intervals.some((interval) => interval.start <= instant && instant < interval.end);

/**
 * Who is on call from `from` to `to`, as consecutive spans that cover the whole range, each
 * with a different set of people than the one before. Rules add their targets; overrides, in
 * the order given, then add, remove or replace people.
 */
export function onCallSpans(
  schedule: Schedule,
  rotations: ReadonlyMap<string, Rotation>,
  from: number,
  to: number,
): OnCallSpan[] {
  const rules = schedule.rules.map((rule) => {
    const intervals = ruleIntervals(rule, schedule.timeZone, from, to);
    const rotation = rule.target.kind === 'rotation' ? rotations.get(rule.target.id) : undefined;
    const shifts = rotation ? shiftsBetween(rotation, from, to) : [];
    return { rule, intervals, shifts };
  });
  const overrides = schedule.overrides.filter((override) => override.end > from && override.start < to);

  const boundaries = new Set<number>([from]);
  const add = (instant: number) => {
    if (instant > from && instant < to) boundaries.add(instant);
  };
  for (const { intervals, shifts } of rules) {
    for (const interval of intervals) {
      add(interval.start);
      add(interval.end);
    }
    for (const shift of shifts) add(shift.start);
  }
  for (const override of overrides) {
    add(override.start);
    add(override.end);
  }

  const at = (instant: number): string[] => {
    const people = new Set<string>();
    for (const { rule, intervals, shifts } of rules) {
      if (!inside(intervals, instant)) continue;
      if (rule.target.kind === 'user') people.add(rule.target.id);
      const shift = shifts.find((candidate) => candidate.start <= instant && instant < candidate.end);
      if (shift) people.add(shift.person);
    }
    for (const override of overrides) {
      if (!(override.start <= instant && instant < override.end)) continue;
      if (override.add && override.remove) {
        if (people.delete(override.remove)) people.add(override.add);
      } else if (override.add) people.add(override.add);
      else if (override.remove) people.delete(override.remove);
    }
    return [...people].sort();
  };

  const spans: OnCallSpan[] = [];
  const sorted = [...boundaries].sort((a, b) => a - b);
  sorted.forEach((start, index) => {
    const end = sorted[index + 1] ?? to;
    const people = at(start);
    const previous = spans[spans.length - 1];
    if (previous && previous.people.join() === people.join()) previous.end = end;
    else spans.push({ start, end, people });
  });
  return spans;
}

/** Who is on call at `instant`. */
export function onCallAt(schedule: Schedule, rotations: ReadonlyMap<string, Rotation>, instant: number): string[] {
  return onCallSpans(schedule, rotations, instant, instant + 1)[0].people;
}

/** Who is on call at `instant` and since when, and who comes next and when (within `horizon` ms). */
export function currentAndNext(
  schedule: Schedule,
  rotations: ReadonlyMap<string, Rotation>,
  instant: number,
  horizon = 60 * day,
): { current: OnCallSpan; next?: OnCallSpan } {
  const spans = onCallSpans(schedule, rotations, instant, instant + horizon);
  const back = onCallSpans(schedule, rotations, instant - horizon, instant + 1);
  const since = back[back.length - 1].start;
  const current = { ...spans[0], start: since };
  return { current, next: spans[1] };
}

/** The stretches `person` is on call within [from, to), merged where they touch. */
export function personSpans(spans: OnCallSpan[], person: string): Interval[] {
  const mine: Interval[] = [];
  for (const span of spans) {
    if (!span.people.includes(person)) continue;
    const previous = mine[mine.length - 1];
    if (previous && previous.end === span.start) previous.end = span.end;
    else mine.push({ start: span.start, end: span.end });
  }
  return mine;
}
