import type { TaskStatus } from '../api/api.types';

export const statusLabels: Record<TaskStatus, string> = {
  pending: 'Open',
  processing: 'In progress',
  waiting: 'Waiting',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

export const statuses = Object.keys(statusLabels) as TaskStatus[];

/** Made on first use and kept: building an Intl formatter costs a slow phone tens of ms, so a page pays only for those it shows. */
function once<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}
const dateTime = once(() => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }));
const dateOnly = once(() => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }));
const utcDateOnly = once(() => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }));

export const formatDateTime = (iso: string | null): string => (iso ? dateTime().format(new Date(iso)) : '—');
export const formatDate = (iso: string | null): string => (iso ? dateOnly().format(new Date(iso)) : '—');

/** What Intl.RelativeTimeFormat('en', { numeric: 'auto' }) says for ±1 of a unit. */
const nextAndLast: Partial<Record<Intl.RelativeTimeFormatUnit, [string, string]>> = {
  day: ['tomorrow', 'yesterday'],
  week: ['next week', 'last week'],
  month: ['next month', 'last month'],
  year: ['next year', 'last year'],
};

/**
 * "3 minutes ago", "in 2 days", "yesterday": in English like the rest of the page (html lang="en"),
 * written out rather than by Intl.RelativeTimeFormat, whose first use costs a slow phone ~100 ms
 * of blocked main thread on every list of tasks (the unit test holds it to Intl's English words).
 */
export function formatAgo(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [
    ['year', 31_536_000],
    ['month', 2_592_000],
    ['week', 604_800],
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ];
  const [unit, size] = steps.find(([, size]) => Math.abs(seconds) >= size) ?? ['second', 1];
  const value = Math.round(seconds / size) + 0; // + 0: -0 reads as 0
  if (value === 0) return 'now';
  const named = nextAndLast[unit];
  if (named && Math.abs(value) === 1) return value > 0 ? named[0] : named[1];
  // Thousands get commas as Intl writes them, without calling into Intl (toLocaleString would).
  const digits = String(Math.abs(value)).replace(/\B(?=(\d{3})+$)/g, ',');
  const amount = `${digits} ${unit}${Math.abs(value) === 1 ? '' : 's'}`;
  return value > 0 ? `in ${amount}` : `${amount} ago`;
}

/** A duration for people: "45 s", "12 min", "3.5 h", "2.1 d". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3_600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${(seconds / 3_600).toFixed(1)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

// A due date sent without a time is stored as midnight UTC: it means that calendar day, wherever the reader is.
const isDateOnly = (iso: string): boolean => /T00:00:00(\.0+)?(Z|\+00:00)$/.test(iso);

/** A date's local calendar day, YYYY-MM-DD. */
export const localDay = (date: Date): string =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

/** The local calendar day (YYYY-MM-DD) a task is due on. */
export const dueDay = (iso: string): string => (isDateOnly(iso) ? iso.slice(0, 10) : localDay(new Date(iso)));

/** Overdue once the due moment has passed; a due date without a time, once that day is over. */
export function isOverdue(dueAt: string | null, status: TaskStatus, now = Date.now()): boolean {
  if (dueAt === null || status === 'completed' || status === 'cancelled') return false;
  if (!isDateOnly(dueAt)) return new Date(dueAt).getTime() < now;
  const [year, month, day] = dueAt.slice(0, 10).split('-').map(Number);
  return new Date(year, month - 1, day + 1).getTime() <= now;
}

/** A file size for people: "820 B", "14 KB", "3.2 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1_000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 1_000)} KB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/** The URL when `text` is an absolute http(s) URL, else null: nothing else may become a link (javascript:, data:). */
export function httpUrl(text: string): string | null {
  try {
    const url = new URL(text.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** A due time; a due date given without a time (stored as midnight UTC) shows as that date, in every time zone. */
export function formatDue(iso: string | null): string {
  if (!iso || !isDateOnly(iso)) return formatDateTime(iso);
  return utcDateOnly().format(new Date(iso));
}
