import { addDays, atMinute, instantOf, parseClockTime, parseLocalDate } from '@taskinbox/zoned-time';

export type ShiftUnit = 'hours' | 'days' | 'weeks';

/**
 * People who take turns. The first shift starts on `startDate` at `handoffTime` in `timeZone`;
 * day and week shifts hand off at that wall-clock time (so a day shift across a DST change is 23
 * or 25 hours), hour shifts every `shiftLength` hours of elapsed time.
 */
export interface Rotation {
  id: string;
  name: string;
  timeZone: string;
  startDate: string;
  handoffTime: string;
  shiftUnit: ShiftUnit;
  shiftLength: number;
  people: string[];
  /**
   * Turns the order was moved by when people were edited, so whoever is on call stays on call
   * (editing the list never reshuffles the current shift).
   */
  turnOffset: number;
}

export interface Shift {
  person: string;
  /** The shift's number: 0 is the one starting at startDate/handoffTime. */
  turn: number;
  start: number;
  end: number;
}

const hour = 3600_000;

/** When turn `turn` starts (ms since the epoch). */
export function handoffAt(rotation: Rotation, turn: number): number {
  const date = parseLocalDate(rotation.startDate);
  const minutes = parseClockTime(rotation.handoffTime);
  if (!date || minutes === undefined) throw new Error(`rotation ${rotation.id} has an invalid start`);
  if (rotation.shiftUnit === 'hours') {
    return instantOf(atMinute(date, minutes), rotation.timeZone) + turn * rotation.shiftLength * hour;
  }
  const days = rotation.shiftLength * (rotation.shiftUnit === 'weeks' ? 7 : 1);
  return instantOf(atMinute(addDays(date, turn * days), minutes), rotation.timeZone);
}

const nominalLength = (rotation: Rotation): number =>
  rotation.shiftLength * (rotation.shiftUnit === 'hours' ? 1 : rotation.shiftUnit === 'days' ? 24 : 168) * hour;

const personOf = (rotation: Rotation, turn: number): string => {
  const count = rotation.people.length;
  return rotation.people[(((turn + rotation.turnOffset) % count) + count) % count];
};

/** The shift that covers `instant`; undefined when the rotation has nobody. Turns before the start count backwards. */
export function shiftAt(rotation: Rotation, instant: number): Shift | undefined {
  if (rotation.people.length === 0) return undefined;
  let turn = Math.floor((instant - handoffAt(rotation, 0)) / nominalLength(rotation));
  while (handoffAt(rotation, turn) > instant) turn--;
  while (handoffAt(rotation, turn + 1) <= instant) turn++;
  return {
    person: personOf(rotation, turn),
    turn,
    start: handoffAt(rotation, turn),
    end: handoffAt(rotation, turn + 1),
  };
}

/** Every shift that overlaps [from, to). */
export function shiftsBetween(rotation: Rotation, from: number, to: number): Shift[] {
  const first = shiftAt(rotation, from);
  if (!first) return [];
  const shifts: Shift[] = [first];
  for (let turn = first.turn + 1; ; turn++) {
    const start = handoffAt(rotation, turn);
    if (start >= to) break;
    const end = handoffAt(rotation, turn + 1);
    if (end > start) shifts.push({ person: personOf(rotation, turn), turn, start, end });
  }
  return shifts;
}

/**
 * The turn offset that keeps the person on call at `now` on call after the list becomes
 * `people`; when they leave the rotation, the turn passes to whoever took their place in the list.
 */
export function offsetKeepingCurrent(rotation: Rotation, people: string[], now: number): number {
  const current = shiftAt(rotation, now);
  if (!current || people.length === 0) return 0;
  let index = people.indexOf(current.person);
  if (index < 0) {
    const was = rotation.people.indexOf(current.person);
    index = Math.min(was, people.length - 1);
  }
  const count = people.length;
  return (((index - current.turn) % count) + count) % count;
}
