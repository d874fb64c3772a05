import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { localDay } from '../tasks/task.format';

export const periods = ['7d', '30d', '90d', 'custom'] as const;
export type Period = (typeof periods)[number];
// Presets are the last so many days, today included.
export const periodLabels: Record<Period, string> = {
  '7d': '7 days',
  '30d': '30 days',
  '90d': '90 days',
  custom: 'Custom',
};
const presetDays: Record<Exclude<Period, 'custom'>, number> = { '7d': 7, '30d': 30, '90d': 90 };

export const intervals = ['day', 'week', 'month'] as const;
export type SeriesInterval = (typeof intervals)[number];

/** What the dashboard shows, as kept in the query string (defaults are left out of it). */
export interface StatsFilters {
  period: Period;
  /** First and last day covered (YYYY-MM-DD): chosen for a custom period, derived from today otherwise. */
  from: string;
  to: string;
  type: string | null;
  businessHours: boolean;
  interval: SeriesInterval;
}

/** The scope every statistic request shares, or why there is none. */
export type StatsScope = { from: string; to?: string; type?: string } | { problem: string };

const dayMs = 86_400_000;
const isDate = (value: string | null): value is string =>
  value !== null && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));
const isOneOf = <T extends string>(options: readonly T[], value: string | null): value is T =>
  options.includes(value as T);

// Local calendar dates; the API reads them in the organisation's time zone.
const daysBack = (days: number): string => localDay(new Date(Date.now() - days * dayMs));
const daysBetween = (from: string, to: string): number => Math.round((Date.parse(to) - Date.parse(from)) / dayMs) + 1;

/** Buckets that keep a chart readable on a phone: days up to six weeks, then weeks, then months. */
function defaultInterval(from: string, to: string): SeriesInterval {
  const days = daysBetween(from, to);
  return days > 180 ? 'month' : days > 45 ? 'week' : 'day';
}

function readFilters(params: URLSearchParams): StatsFilters {
  const asked = params.get('period');
  const period: Period = isOneOf(periods, asked) ? asked : '30d';
  const today = daysBack(0);
  const from = period === 'custom' ? readDate(params.get('from'), daysBack(29)) : daysBack(presetDays[period] - 1);
  const to = period === 'custom' ? readDate(params.get('to'), today) : today;
  const interval = params.get('interval');
  return {
    period,
    from,
    to,
    type: params.get('type') || null,
    businessHours: params.get('businessHours') === 'true',
    interval: isOneOf(intervals, interval) ? interval : defaultInterval(from, to),
  };
}

const readDate = (value: string | null, fallback: string): string => (isDate(value) ? value : fallback);

function writeFilters(filters: StatsFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.period !== '30d') params.set('period', filters.period);
  if (filters.period === 'custom') {
    params.set('from', filters.from);
    params.set('to', filters.to);
  }
  if (filters.type) params.set('type', filters.type);
  if (filters.businessHours) params.set('businessHours', 'true');
  if (filters.interval !== defaultInterval(filters.from, filters.to)) params.set('interval', filters.interval);
  return params;
}

/** The filters from the URL, and a way to change them that keeps them there across reloads. */
export function useStatsFilters(): { filters: StatsFilters; change(patch: Partial<StatsFilters>): void } {
  const [params, setParams] = useSearchParams();
  // State answers at once; the URL mirrors it (router updates are transitions, so a pressed
  // button would otherwise look unpressed for a moment on a busy phone).
  const [filters, setFilters] = useState(() => readFilters(params));
  const change = (patch: Partial<StatsFilters>) => {
    const next = { ...filters, ...patch };
    if (patch.period && patch.period !== 'custom') {
      next.from = daysBack(presetDays[patch.period] - 1);
      next.to = daysBack(0);
    }
    // A new period gets buckets that suit its length unless an interval is chosen with it.
    if ((patch.period || patch.from || patch.to) && !patch.interval)
      next.interval = defaultInterval(next.from, next.to);
    setFilters(next);
    setParams(writeFilters(next), { replace: true });
  };
  return { filters, change };
}

/** Presets run until now; a custom period covers its last day whole. */
export function scopeOf(filters: StatsFilters): StatsScope {
  if (filters.period === 'custom' && filters.from > filters.to) {
    return { problem: 'The start date must be on or before the end date.' };
  }
  return {
    from: filters.from,
    ...(filters.period === 'custom' ? { to: filters.to } : {}),
    ...(filters.type ? { type: filters.type } : {}),
  };
}
