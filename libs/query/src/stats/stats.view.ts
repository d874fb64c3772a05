import type { SeriesInterval } from './stats-query.dto';

/** What a statistic covers: [from, to) and, when filtered, one task type. */
export interface StatsScope {
  period: { from: string; to: string };
  type: string | null;
}

export interface ResolutionTimeStats extends StatsScope {
  /** Completed tasks resolved in the period (cancelled ones are not resolutions). */
  count: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
  slowestSeconds: number | null;
  /** True when the durations count working hours only. */
  businessHours: boolean;
}

/** One task type's resolution times; null figures when none of its tasks was completed. */
export interface TypeResolutionTime {
  type: string;
  /** Completed tasks of this type resolved in the period. */
  count: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
  slowestSeconds: number | null;
}

export interface ResolutionTimeByTypeStats extends StatsScope {
  businessHours: boolean;
  /** Every type with a task created or finished in the period, most completed first. */
  types: TypeResolutionTime[];
}

export interface OutcomeShare {
  outcome: 'completed' | 'cancelled';
  /** The completion's resolution (accepted, rejected, …), or 'cancelled'. */
  resolution: string;
  count: number;
  /** count / total, 0..1, four decimals. */
  share: number;
}

export interface OutcomeStats extends StatsScope {
  /** Tasks finished (completed or cancelled) in the period. */
  total: number;
  outcomes: OutcomeShare[];
}

export interface SeriesScope extends StatsScope {
  /** Buckets are days (weeks, months) of this zone: the organisation calendar's. */
  timeZone: string;
  interval: SeriesInterval;
}

export interface BacklogStats extends SeriesScope {
  /** Tasks open at the start of the period. */
  openAtStart: number;
  /** Tasks open (not completed, not cancelled) at the end of each bucket, or at `to` for the last one. */
  buckets: { date: string; open: number }[];
}

export interface ThroughputStats extends SeriesScope {
  /** Per bucket: tasks created, completed (resolved) and cancelled. */
  buckets: { date: string; created: number; resolved: number; cancelled: number }[];
}
