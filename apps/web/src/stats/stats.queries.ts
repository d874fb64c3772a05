import { keepPreviousData, useQuery, type UseQueryResult } from '@tanstack/react-query';
import { api, withQuery } from '../api/api.client';
import { useSignedIn } from '../session/session.context';
import type { SeriesInterval, StatsFilters, StatsScope } from './stats.filters';

// The shapes of /api/stats/* (libs/query/src/stats/stats.view.ts).

interface Covered {
  period: { from: string; to: string };
  type: string | null;
}

export interface Durations {
  /** Completed tasks resolved in the period. */
  count: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
  slowestSeconds: number | null;
}

export interface ResolutionTime extends Covered, Durations {
  businessHours: boolean;
}

export interface TypeDurations extends Durations {
  type: string;
}

export interface ResolutionTimeByType extends Covered {
  businessHours: boolean;
  types: TypeDurations[];
}

export interface OutcomeShare {
  outcome: 'completed' | 'cancelled';
  resolution: string;
  count: number;
  share: number;
}

export interface Outcomes extends Covered {
  total: number;
  outcomes: OutcomeShare[];
}

interface Series extends Covered {
  timeZone: string;
  interval: SeriesInterval;
}

export interface Backlog extends Series {
  openAtStart: number;
  buckets: { date: string; open: number }[];
}

export interface Throughput extends Series {
  buckets: { date: string; created: number; resolved: number; cancelled: number }[];
}

type Params = Record<string, string | boolean | undefined>;

function useStat<T>(path: string, scope: StatsScope, extra: Params = {}): UseQueryResult<T> {
  const { organisation } = useSignedIn();
  const params = 'problem' in scope ? null : { ...scope, ...extra };
  return useQuery({
    queryKey: ['stats', organisation.id, path, params],
    queryFn: () => api<T>('GET', withQuery(`/api/stats/${path}`, params ?? {})),
    enabled: params !== null,
    // Changing a filter keeps the old figures on screen, marked as updating, instead of a blank card.
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    refetchInterval: 60_000,
  });
}

export const useResolutionTime = (scope: StatsScope, filters: StatsFilters) =>
  useStat<ResolutionTime>('resolution-time', scope, { businessHours: filters.businessHours });

/** Every type of the period, whatever type is selected: the comparison, and the type picker's options. */
export function useResolutionTimeByType(scope: StatsScope, filters: StatsFilters) {
  const allTypes = 'problem' in scope ? scope : { ...scope, type: undefined };
  return useStat<ResolutionTimeByType>('resolution-time/by-type', allTypes, { businessHours: filters.businessHours });
}

export const useOutcomes = (scope: StatsScope) => useStat<Outcomes>('outcomes', scope);

export const useBacklog = (scope: StatsScope, filters: StatsFilters) =>
  useStat<Backlog>('backlog', scope, { interval: filters.interval });

export const useThroughput = (scope: StatsScope, filters: StatsFilters) =>
  useStat<Throughput>('throughput', scope, { interval: filters.interval });

/** One SLO's standing now (libs/slo SloStatusView); not scoped by the period: each SLO has its own window. */
export interface SloStatus {
  sloId: string;
  name: string;
  taskType: string;
  targetPercent: number;
  windowStart: string;
  windowEnd: string;
  total: number;
  good: number;
  bad: number;
  attainment: number | null;
  errorBudget: { allowedBad: number; remaining: number };
  burnRates: { rule: string; threshold: number; long: number; short: number; events: number; firing: boolean }[];
}

export function useSloStatuses(): UseQueryResult<SloStatus[]> {
  const { organisation } = useSignedIn();
  return useQuery({
    queryKey: ['stats', organisation.id, 'slos'],
    queryFn: () => api<SloStatus[]>('GET', '/api/stats/slos'),
    staleTime: 30_000,
    refetchInterval: 60_000,
  });
}

/** How well the estimates end users were shown held, per type (libs/transparency CalibrationView); last 180 days. */
export interface EtaCalibration {
  taskType: string;
  tasks: number;
  withinEstimate: number;
  withinPercent: number;
}

export function useEtaCalibration(): UseQueryResult<EtaCalibration[]> {
  const { organisation } = useSignedIn();
  return useQuery({
    queryKey: ['stats', organisation.id, 'eta-calibration'],
    queryFn: () => api<EtaCalibration[]>('GET', '/api/transparency/calibration'),
  });
}
