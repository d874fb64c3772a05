// How one notification reaches a person, from their preferences and the time: pure, so quiet
// hours across time zones and DST are tested without a clock or a database.

import { addDays, atMinute, instantOf, parseClockTime, wallClock } from '@taskinbox/zoned-time';

export type Urgency = 'low' | 'normal' | 'high' | 'urgent';
export type Channel = 'push' | 'email' | 'digest';
export const urgencies: readonly Urgency[] = ['low', 'normal', 'high', 'urgent'];
export const channels: readonly Channel[] = ['push', 'email', 'digest'];

export interface Preferences {
  timeZone: string;
  channels: Record<Urgency, Channel[]>;
  /** Wall-clock HH:mm in timeZone; an end before the start runs past midnight. */
  quietHours: { start: string; end: string } | null;
}

export const defaultPreferences: Preferences = {
  timeZone: 'UTC',
  channels: { low: ['digest'], normal: ['push'], high: ['push', 'email'], urgent: ['push', 'email'] },
  quietHours: null,
};

/** When the quiet hours around `instant` end, or null when `instant` is outside them. */
export function quietUntil(preferences: Preferences, instant: number): number | null {
  const { quietHours, timeZone } = preferences;
  if (!quietHours) return null;
  const start = parseClockTime(quietHours.start);
  const end = parseClockTime(quietHours.end);
  if (start === undefined || end === undefined || start === end) return null;
  const wall = wallClock(instant, timeZone);
  const minute = wall.hour * 60 + wall.minute;
  const today = { year: wall.year, month: wall.month, day: wall.day };
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!inside) return null;
  const endDay = start > end && minute >= start ? addDays(today, 1) : today;
  return instantOf(atMinute(endDay, end), timeZone);
}

export interface DeliveryPlan {
  /** Channels to use now (push, email). */
  now: Channel[];
  /** Kept for the next digest e-mail. */
  digest: boolean;
  /** Quiet hours: nothing now; deliver again at this instant. */
  holdUntil: number | null;
}

/** Urgent notifications pass quiet hours; everything else waits for them to end. */
export function planDelivery(urgency: Urgency, preferences: Preferences, instant: number): DeliveryPlan {
  const wanted = preferences.channels[urgency] ?? [];
  const digest = wanted.includes('digest');
  const now = wanted.filter((channel) => channel !== 'digest');
  const quiet = urgency === 'urgent' ? null : quietUntil(preferences, instant);
  if (quiet !== null && now.length > 0) return { now: [], digest, holdUntil: quiet };
  return { now, digest, holdUntil: null };
}

/** RFC 8030 Topic: at most 32 URL-safe characters; the task id without dashes is exactly that. */
export const topicOf = (taskId: string): string => taskId.replace(/-/g, '');

/** RFC 8030 Urgency header and a time to live: urgent news that is hours old is no news. */
export function pushOptions(urgency: Urgency): { urgency: 'low' | 'normal' | 'high'; TTL: number } {
  if (urgency === 'urgent') return { urgency: 'high', TTL: 3600 };
  if (urgency === 'high') return { urgency: 'high', TTL: 6 * 3600 };
  return { urgency: urgency, TTL: 24 * 3600 };
}
