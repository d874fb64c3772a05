import { addWorkingSeconds, clockStart, instantAt, wallClock, type WorkingHours } from './business-time';

// An explainable estimate of when a task will be resolved: a range, never one time, built from
// past resolution times in working hours and adjusted step by step; each step says one sentence
// (prior art: ../shared/notes/transparency-oncall-prior-art.md §1).

/** Resolution times (working seconds) of resolved tasks over the last 180 days. */
export interface Distribution {
  count: number;
  p50: number;
  p90: number;
}

/** An organisation's rule: when a feature of the task matches, the range is scaled and/or shifted. */
export interface EtaHook {
  /** JSON Pointer into the task's features, e.g. /payload/amount, /customerRef, /priority. */
  feature: string;
  op: 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in';
  value: unknown;
  /** Both ends of the range are multiplied by this… */
  multiply?: number;
  /** …then this many working minutes are added. */
  addMinutes?: number;
  /** What the end user reads when the hook applies. */
  sentence: string;
}

export interface EtaInput {
  now: number;
  hours: WorkingHours;
  /** Tasks of this type, and of every type of the organisation (the fallback). */
  typeHistory: Distribution;
  orgHistory: Distribution;
  /** Below this many resolved tasks a distribution is not trusted. */
  minSample: number;
  /** Open tasks ahead of this one in the shared queue (0 once someone works on it). */
  ahead: number;
  /** People who work the queue. */
  onDuty: number;
  /** The task waits on its end user: nobody works on it until they answer. */
  waitingForAnswer?: boolean;
  /** What hooks may look at: `{ payload, priority, customerRef, tags, taskType }`. */
  features: Record<string, unknown>;
  hooks: EtaHook[];
}

export interface Eta {
  /** The range, as instants (ms since the epoch). */
  low: number;
  high: number;
  /** The range in working seconds from the moment the clock starts. */
  lowSeconds: number;
  highSeconds: number;
  /** One sentence per step, in order. */
  explanation: string[];
}

export const defaultMinSample = 20;

/** The estimate, or undefined when there is too little history (or no working hours at all). */
export function estimate(input: EtaInput): Eta | undefined {
  const explanation: string[] = [];
  const { typeHistory, orgHistory, minSample } = input;
  let history: Distribution;
  if (typeHistory.count >= minSample) {
    history = typeHistory;
    explanation.push(`Tasks of this type normally take ${range(history.p50, history.p90)} of working time.`);
  } else if (orgHistory.count >= minSample) {
    history = orgHistory;
    explanation.push(`Few tasks of this type are finished yet, so this is based on all our tasks: they normally take ${range(history.p50, history.p90)} of working time.`);
  } else {
    return undefined;
  }
  let low = history.p50;
  let high = history.p90;

  if (input.ahead > 0) {
    const people = Math.max(1, input.onDuty);
    const extra = (input.ahead * history.p50) / people;
    low += extra;
    high += extra;
    const tasks = input.ahead === 1 ? '1 task is' : `${input.ahead} tasks are`;
    const crew = people === 1 ? '1 person works' : `${people} people work`;
    explanation.push(`${tasks} ahead of yours and ${crew} on them: add about ${duration(extra)}.`);
  }

  for (const hook of input.hooks) {
    if (!matches(hook, input.features)) continue;
    const factor = hook.multiply ?? 1;
    const added = (hook.addMinutes ?? 0) * 60;
    low = Math.max(0, low * factor + added);
    high = Math.max(low, high * factor + added);
    explanation.push(hook.sentence);
  }

  // Counted from now, as if the answer came now: the page says so rather than guess when it will.
  if (input.waitingForAnswer) explanation.push('We need your answer first: the clock starts when you send it.');
  const start = clockStart(input.now, input.hours);
  if (start === undefined) return undefined;
  if (start > input.now) explanation.push(closedSentence(input.now, start, input.hours));
  const lowAt = addWorkingSeconds(start, low, input.hours);
  const highAt = addWorkingSeconds(start, high, input.hours);
  explanation.push(`Expect it between ${when(lowAt, input.now, input.hours.timeZone)} and ${when(highAt, input.now, input.hours.timeZone)}.`);
  return { low: lowAt, high: highAt, lowSeconds: Math.round(low), highSeconds: Math.round(high), explanation };
}

/**
 * A task is at risk when the latest time its estimate gives (P90) is after its deadline;
 * undefined without a deadline or an estimate.
 */
export function pastDeadline(eta: Eta | undefined, dueAt: number | undefined): boolean | undefined {
  return eta === undefined || dueAt === undefined ? undefined : eta.high > dueAt;
}

/** The value a JSON Pointer names in `document` (RFC 6901), undefined when absent. */
export function pointerValue(document: unknown, pointer: string): unknown {
  if (pointer === '') return document;
  if (!pointer.startsWith('/')) return undefined;
  let node: unknown = document;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function matches(hook: EtaHook, features: Record<string, unknown>): boolean {
  const actual = pointerValue(features, hook.feature);
  if (actual === undefined) return false;
  switch (hook.op) {
    case 'eq':
      return actual === hook.value;
    case 'ne':
      return actual !== hook.value;
    case 'in':
      return Array.isArray(hook.value) && hook.value.includes(actual);
    default: {
      if (typeof actual !== 'number' || typeof hook.value !== 'number') return false;
      const value = hook.value;
      return { gt: actual > value, gte: actual >= value, lt: actual < value, lte: actual <= value }[hook.op];
    }
  }
}

const dayNames = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function closedSentence(now: number, start: number, hours: WorkingHours): string {
  const today = wallClock(now, hours.timeZone);
  const startsAt = when(start, now, hours.timeZone);
  if (!hours.workingDays.includes(today.isoWeekday)) {
    const weekend = today.isoWeekday >= 6 && [6, 7].every((day) => !hours.workingDays.includes(day));
    return `It's ${weekend ? 'the weekend' : dayNames[today.isoWeekday - 1]}, so the clock starts ${startsAt}.`;
  }
  if (now < instantAt(today, hours.dayStart, hours.timeZone)) return `We open at ${hours.dayStart}, so the clock starts ${startsAt}.`;
  return `We have closed for the day, so the clock starts ${startsAt}.`;
}

/** "today 14:00", "tomorrow 09:00", "Monday 09:00" within a week, else "14 December 09:00". */
export function when(instant: number, now: number, timeZone: string): string {
  const at = wallClock(instant, timeZone);
  const today = wallClock(now, timeZone);
  const days = Math.round((Date.UTC(at.year, at.month - 1, at.day) - Date.UTC(today.year, today.month - 1, today.day)) / 86_400_000);
  const time = `${String(at.hour).padStart(2, '0')}:${String(at.minute).padStart(2, '0')}`;
  if (days === 0) return `today ${time}`;
  if (days === 1) return `tomorrow ${time}`;
  if (days > 1 && days < 7) return `${dayNames[at.isoWeekday - 1]} ${time}`;
  return `${at.day} ${monthNames[at.month - 1]} ${time}`;
}

/** A working-time span as people say it: "45 min", "2 h", "1 h 30 min". */
export function duration(seconds: number): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

function range(low: number, high: number): string {
  return duration(low) === duration(high) ? `about ${duration(low)}` : `${duration(low)} to ${duration(high)}`;
}
