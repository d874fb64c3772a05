import { type ReactNode, useId } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { Empty, ErrorState, Loading } from '../layout/load.states';
import { formatDuration } from '../tasks/task.format';
import { BacklogChart, OutcomeBars, ThroughputChart, TypeDurationBars } from './stats.charts';
import {
  intervals,
  periodLabels,
  periods,
  scopeOf,
  type SeriesInterval,
  type StatsFilters,
  useStatsFilters,
} from './stats.filters';
import {
  type EtaCalibration,
  useBacklog,
  useEtaCalibration,
  useOutcomes,
  useResolutionTime,
  useResolutionTimeByType,
  useSloStatuses,
  useThroughput,
  type ResolutionTime,
  type SloStatus,
} from './stats.queries';
import './stats.css';

const intervalLabels: Record<SeriesInterval, string> = { day: 'Day', week: 'Week', month: 'Month' };

/** Resolution times, outcomes, backlog and throughput for a period, one card per request. */
export function StatsPage() {
  const { filters, change } = useStatsFilters();
  const scope = scopeOf(filters);
  const resolution = useResolutionTime(scope, filters);
  const byType = useResolutionTimeByType(scope, filters);
  const outcomes = useOutcomes(scope);
  const backlog = useBacklog(scope, filters);
  const throughput = useThroughput(scope, filters);
  const slos = useSloStatuses();
  const calibration = useEtaCalibration();
  const knownTypes = byType.data?.types.map((item) => item.type) ?? [];

  return (
    <div className="stats">
      <h1>Stats</h1>
      <Controls filters={filters} change={change} types={knownTypes} />
      {'problem' in scope ? (
        <p role="alert" className="error-state">
          {scope.problem}
        </p>
      ) : (
        <div className="stats-grid">
          <Card title="Resolution time" className="stats-resolution" query={resolution} what="resolution times">
            {(data) => <ResolutionFigures data={data} />}
          </Card>
          <Card title="By task type" className="stats-by-type" query={byType} what="resolution times by type">
            {(data) =>
              data.types.length === 0 ? (
                <Empty>No tasks were created or finished in this period.</Empty>
              ) : (
                <>
                  <p className="muted">
                    All types of the period, on one scale · {data.businessHours ? 'working hours only' : 'all hours'}
                  </p>
                  <TypeDurationBars types={data.types} selected={filters.type} />
                </>
              )
            }
          </Card>
          <Card title="Outcomes" className="stats-outcomes" query={outcomes} what="outcomes">
            {(data) =>
              data.total === 0 ? (
                <Empty>No tasks were completed or cancelled in this period.</Empty>
              ) : (
                <>
                  <p className="stats-totals">
                    <strong>{data.total}</strong> {data.total === 1 ? 'task' : 'tasks'} finished
                  </p>
                  <OutcomeBars outcomes={data.outcomes} />
                </>
              )
            }
          </Card>
          <Card title="Backlog" className="stats-series" query={backlog} what="the backlog">
            {(data) =>
              data.buckets.length === 0 ? <Empty>No days in this period.</Empty> : <BacklogChart backlog={data} />
            }
          </Card>
          <Card
            title="Created vs resolved"
            className="stats-series"
            query={throughput}
            what="created and resolved tasks"
          >
            {(data) =>
              data.buckets.length === 0 ? <Empty>No days in this period.</Empty> : <ThroughputChart throughput={data} />
            }
          </Card>
          <Card title="SLOs" className="stats-slos" query={slos} what="SLOs">
            {(data) => (data.length === 0 ? <Empty>No SLOs registered.</Empty> : <SloTable slos={data} />)}
          </Card>
          <Card title="ETA calibration" className="stats-calibration" query={calibration} what="ETA calibration">
            {(data) =>
              data.length === 0 ? (
                <Empty>No finished task was shown an estimate yet.</Empty>
              ) : (
                <CalibrationTable rows={data} />
              )
            }
          </Card>
        </div>
      )}
    </div>
  );
}

function Controls({
  filters,
  change,
  types,
}: {
  filters: StatsFilters;
  change(patch: Partial<StatsFilters>): void;
  types: string[];
}) {
  // The selected type stays choosable even when the period has no task of it.
  const options = filters.type && !types.includes(filters.type) ? [filters.type, ...types] : types;
  return (
    <section className="card stats-controls" aria-label="Filters">
      <fieldset>
        <legend>Period</legend>
        <div className="tabs">
          {periods.map((period) => (
            <button
              key={period}
              type="button"
              className="button small"
              aria-pressed={filters.period === period}
              onClick={() => change({ period })}
            >
              {periodLabels[period]}
            </button>
          ))}
        </div>
      </fieldset>
      {filters.period === 'custom' && (
        <div className="stats-dates">
          <label>
            From
            <input
              type="date"
              value={filters.from}
              max={filters.to}
              onChange={(event) => {
                // A half-typed date reads as empty: keep the last whole one.
                if (event.target.value) change({ from: event.target.value });
              }}
            />
          </label>
          <label>
            To
            <input
              type="date"
              value={filters.to}
              min={filters.from}
              onChange={(event) => {
                // A half-typed date reads as empty: keep the last whole one.
                if (event.target.value) change({ to: event.target.value });
              }}
            />
          </label>
        </div>
      )}
      <label>
        Task type
        <select value={filters.type ?? ''} onChange={(event) => change({ type: event.target.value || null })}>
          <option value="">All types</option>
          {options.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>Chart buckets</legend>
        <div className="tabs">
          {intervals.map((interval) => (
            <button
              key={interval}
              type="button"
              className="button small"
              aria-pressed={filters.interval === interval}
              onClick={() => change({ interval })}
            >
              {intervalLabels[interval]}
            </button>
          ))}
        </div>
      </fieldset>
      <label className="check">
        <input
          type="checkbox"
          checked={filters.businessHours}
          onChange={(event) => change({ businessHours: event.target.checked })}
        />
        Business hours only
      </label>
    </section>
  );
}

function ResolutionFigures({ data }: { data: ResolutionTime }) {
  return (
    <>
      <p className="muted">
        {data.type ?? 'All types'} ·{' '}
        {data.businessHours
          ? "Working hours only (the organisation's calendar)"
          : 'All hours, nights and weekends included'}
      </p>
      {data.count === 0 ? (
        <Empty>No task was completed in this period.</Empty>
      ) : (
        <dl className="stats-tiles">
          <div>
            <dt>Completed</dt>
            <dd>{data.count}</dd>
          </div>
          <div>
            <dt>Median</dt>
            <dd>{formatDuration(data.medianSeconds)}</dd>
          </div>
          <div>
            <dt>p90</dt>
            <dd>{formatDuration(data.p90Seconds)}</dd>
          </div>
          <div>
            <dt>Slowest</dt>
            <dd>{formatDuration(data.slowestSeconds)}</dd>
          </div>
        </dl>
      )}
    </>
  );
}

const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;

/** Each SLO over its own rolling window: attainment against the target, the error budget left, and alerts firing. */
function SloTable({ slos }: { slos: SloStatus[] }) {
  return (
    <table className="stats-slo-table">
      <thead>
        <tr>
          <th scope="col">SLO</th>
          <th scope="col">Attained</th>
          <th scope="col">Budget left</th>
          <th scope="col">Burn</th>
        </tr>
      </thead>
      <tbody>
        {slos.map((slo) => {
          const firing = slo.burnRates.filter((rate) => rate.firing).map((rate) => rate.rule);
          return (
            <tr key={slo.sloId} data-slo-id={slo.sloId}>
              <th scope="row">
                {slo.name}
                <div className="muted">
                  {slo.taskType} · target {slo.targetPercent}%
                </div>
              </th>
              <td>{slo.attainment === null ? '—' : `${percent(slo.attainment)} of ${slo.total}`}</td>
              <td className={slo.errorBudget.remaining < 0 ? 'error' : undefined}>{percent(slo.errorBudget.remaining)}</td>
              <td className={firing.length > 0 ? 'error' : undefined}>{firing.length > 0 ? `alert: ${firing.join(', ')}` : 'ok'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Per type, the share of finished tasks resolved by the latest time (P90) their end user was shown. */
function CalibrationTable({ rows }: { rows: EtaCalibration[] }) {
  return (
    <table className="stats-calibration-table">
      <thead>
        <tr>
          <th scope="col">Type</th>
          <th scope="col">Resolved before the P90 shown</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.taskType} data-task-type={row.taskType}>
            <th scope="row">{row.taskType}</th>
            <td>
              {row.withinPercent}% of {row.tasks}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A card for one request: loading, the error with a retry, or its figures (marked while they refresh). */
function Card<T>(props: {
  title: string;
  className: string;
  what: string;
  query: UseQueryResult<T>;
  children(data: T): ReactNode;
}) {
  const { title, className, what, query, children } = props;
  const headingId = useId();
  const updating = query.isPlaceholderData && query.isFetching;
  return (
    <section className={`card stats-card ${className}`} aria-labelledby={headingId} aria-busy={updating}>
      <div className="stats-card-head">
        <h2 id={headingId}>{title}</h2>
        {updating && <span className="muted stats-updating">Updating…</span>}
      </div>
      {query.isError ? (
        <ErrorState error={query.error} retry={() => void query.refetch()} />
      ) : query.data === undefined ? (
        <Loading what={what} />
      ) : (
        children(query.data)
      )}
    </section>
  );
}
