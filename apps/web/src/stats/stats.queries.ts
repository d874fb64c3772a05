import { keepPreviousData, useQuery, type UseQueryResult } from '@tanstack/react-query';
import type { Schema } from '@taskinbox/client';
import { answer, api } from '../api/api.client';
import { useSignedIn } from '../session/session.context';
import type { SeriesInterval, StatsFilters, StatsScope } from './stats.filters';

// The shapes of /api/stats/*, from the OpenAPI document.
export type ResolutionTime = Schema<'ResolutionTimeStats'>;
export type ResolutionTimeByType = Schema<'ResolutionTimeByTypeStats'>;
export type TypeDurations = Schema<'TypeResolutionTime'>;
export type Durations = Omit<TypeDurations, 'type'>;
export type Outcomes = Schema<'OutcomeStats'>;
export type OutcomeShare = Schema<'OutcomeShare'>;
export type Backlog = Schema<'BacklogStats'>;
export type Throughput = Schema<'ThroughputStats'>;

type Query = { from: string; to?: string; type?: string; businessHours?: boolean; interval?: SeriesInterval };

/** One statistic of the period the filters say; `read` makes its call with the query. */
function useStat<T>(
  name: string,
  scope: StatsScope,
  extra: Omit<Query, 'from' | 'to' | 'type'>,
  read: (query: Query) => Promise<T>,
): UseQueryResult<T> {
  const { organisation } = useSignedIn();
  const params: Query | null = 'problem' in scope ? null : { ...scope, ...extra };
  return useQuery({
    queryKey: ['stats', organisation.id, name, params],
    queryFn: () => read(params!),
    enabled: params !== null,
    // Changing a filter keeps the old figures on screen, marked as updating, instead of a blank card.
    placeholderData: keepPreviousData,
    staleTime: 30_000,
    refetchInterval: 60_000,
  });
}

export const useResolutionTime = (scope: StatsScope, filters: StatsFilters) =>
  useStat('resolution-time', scope, { businessHours: filters.businessHours }, (query) =>
    answer(api.GET('/api/stats/resolution-time', { params: { query } })),
  );

/** Every type of the period, whatever type is selected: the comparison, and the type picker's options. */
export function useResolutionTimeByType(scope: StatsScope, filters: StatsFilters) {
  const allTypes = 'problem' in scope ? scope : { ...scope, type: undefined };
  return useStat('resolution-time/by-type', allTypes, { businessHours: filters.businessHours }, (query) =>
    answer(api.GET('/api/stats/resolution-time/by-type', { params: { query } })),
  );
}

export const useOutcomes = (scope: StatsScope) =>
  useStat('outcomes', scope, {}, (query) => answer(api.GET('/api/stats/outcomes', { params: { query } })));

export const useBacklog = (scope: StatsScope, filters: StatsFilters) =>
  useStat('backlog', scope, { interval: filters.interval }, (query) =>
    answer(api.GET('/api/stats/backlog', { params: { query } })),
  );

export const useThroughput = (scope: StatsScope, filters: StatsFilters) =>
  useStat('throughput', scope, { interval: filters.interval }, (query) =>
    answer(api.GET('/api/stats/throughput', { params: { query } })),
  );

/** One SLO's standing now (libs/slo SloStatusView); not scoped by the period: each SLO has its own window. */
export type SloStatus = Schema<'SloStatusView'>;

export function useSloStatuses(): UseQueryResult<SloStatus[]> {
  const { organisation } = useSignedIn();
  return useQuery({
    queryKey: ['stats', organisation.id, 'slos'],
    queryFn: () => answer(api.GET('/api/stats/slos')),
    staleTime: 30_000,
    refetchInterval: 60_000,
  });
}

/** How well the estimates end users were shown held, per type (libs/transparency CalibrationView); last 180 days. */
export type EtaCalibration = Schema<'CalibrationView'>;

export function useEtaCalibration(): UseQueryResult<EtaCalibration[]> {
  const { organisation } = useSignedIn();
  return useQuery({
    queryKey: ['stats', organisation.id, 'eta-calibration'],
    queryFn: () => answer(api.GET('/api/transparency/calibration')),
  });
}
