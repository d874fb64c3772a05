import type { ReactNode } from 'react';
import { formatDuration } from '../tasks/task.format';
import type { SeriesInterval } from './stats.filters';
import type { Backlog, OutcomeShare, Throughput, TypeDurations } from './stats.queries';

// Hand-written charts. Plot areas are SVGs stretched to their container (viewBox in data units,
// preserveAspectRatio none, strokes that do not scale); every text is HTML so it keeps its size
// on a phone and on a wide screen. Each chart has a text alternative and a table to open.

const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 0 });
const dayLabel = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });
const dayAndYear = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const monthLabel = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });

/**
 * Short labels for buckets' first days (calendar dates of the organisation, YYYY-MM-DD); days
 * carry the year only when the series crosses one.
 */
function labeller(buckets: { date: string }[], interval: SeriesInterval): (date: string) => string {
  const years = new Set(buckets.map((bucket) => bucket.date.slice(0, 4)));
  const format = interval === 'month' ? monthLabel : years.size > 1 ? dayAndYear : dayLabel;
  return (date) => {
    const [year, month, day] = date.split('-').map(Number);
    return format.format(new Date(Date.UTC(year, month - 1, day)));
  };
}

const bucketNoun: Record<SeriesInterval, string> = { day: 'Day', week: 'Week of', month: 'Month' };

/** A round axis maximum with an even half-way mark: 3 → 4, 5 → 6, 11 → 20. */
function axisMax(value: number): number {
  if (value <= 2) return 2;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 4, 6, 8, 10].map((step) => step * power).find((top) => top >= value) ?? 10 * power;
}

/** Outcome shares as horizontal bars, cancelled in grey. */
export function OutcomeBars({ outcomes }: { outcomes: OutcomeShare[] }) {
  return (
    <ul className="stats-bars">
      {outcomes.map((item) => (
        <li key={`${item.outcome}:${item.resolution}`}>
          <span className="stats-bar-text">
            <span className="stats-bar-name">{item.resolution}</span>
            <span>
              {item.count} · {percent.format(item.share)}
            </span>
          </span>
          <span className="stats-bar-track" aria-hidden="true">
            <span className={`stats-bar-fill ${item.outcome}`} style={{ width: `${item.share * 100}%` }} />
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Per type, median, p90 and slowest as nested bars on one scale, the figures written out below. */
export function TypeDurationBars({ types, selected }: { types: TypeDurations[]; selected: string | null }) {
  const longest = Math.max(...types.map((item) => item.slowestSeconds ?? 0), 1);
  const width = (seconds: number | null) => `${((seconds ?? 0) / longest) * 100}%`;
  return (
    <>
      <Legend
        items={[
          ['median', 'Median'],
          ['p90', 'p90'],
          ['slowest', 'Slowest'],
        ]}
      />
      <ul className="stats-types">
        {types.map((item) => (
          <li key={item.type} aria-current={item.type === selected ? 'true' : undefined}>
            <span className="stats-bar-text">
              <span className="stats-bar-name">{item.type}</span>
              <span>{item.count} completed</span>
            </span>
            {item.count > 0 ? (
              <>
                <span className="stats-range" aria-hidden="true">
                  <span className="slowest" style={{ width: width(item.slowestSeconds) }} />
                  <span className="p90" style={{ width: width(item.p90Seconds) }} />
                  <span className="median" style={{ width: width(item.medianSeconds) }} />
                </span>
                <span className="stats-figures">
                  Median {formatDuration(item.medianSeconds)} · p90 {formatDuration(item.p90Seconds)} · slowest{' '}
                  {formatDuration(item.slowestSeconds)}
                </span>
              </>
            ) : (
              <span className="stats-figures muted">None completed in this period</span>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

/** Open tasks at the end of each bucket, as a line over a filled area. */
export function BacklogChart({ backlog }: { backlog: Backlog }) {
  const { buckets, interval } = backlog;
  const top = axisMax(Math.max(...buckets.map((bucket) => bucket.open)));
  // One bucket still draws a level line across the plot.
  const xs = buckets.length === 1 ? [0, 1] : buckets.map((_, index) => index + 0.5);
  const values = buckets.length === 1 ? [buckets[0].open, buckets[0].open] : buckets.map((bucket) => bucket.open);
  const width = Math.max(buckets.length, 1);
  const line = xs.map((x, index) => `${x},${top - values[index]}`).join(' ');
  const labelOf = labeller(buckets, interval);
  const first = labelOf(buckets[0].date);
  const last = labelOf(buckets[buckets.length - 1].date);
  const end = buckets[buckets.length - 1].open;
  const peak = Math.max(...buckets.map((bucket) => bucket.open));
  const label = `Open tasks at the end of each ${interval}, ${first} to ${last}: ${backlog.openAtStart} at the start, ${end} at the end, at most ${peak}.`;
  return (
    <>
      <p className="stats-totals">
        <strong>{end}</strong> open at the end · {backlog.openAtStart} at the start · at most {peak}
      </p>
      <Plot label={label} top={top} width={width} first={first} last={last}>
        <polygon className="stats-area" points={`${xs[0]},${top} ${line} ${xs[xs.length - 1]},${top}`} />
        <polyline className="stats-line" points={line} vectorEffect="non-scaling-stroke" />
      </Plot>
      <DataTable
        head={[bucketNoun[interval], 'Open']}
        rows={buckets.map((bucket) => ({ key: bucket.date, cells: [labelOf(bucket.date), bucket.open] }))}
      />
    </>
  );
}

/** Created and resolved side by side per bucket; cancelled tasks are in the table and the totals. */
export function ThroughputChart({ throughput }: { throughput: Throughput }) {
  const { buckets, interval } = throughput;
  const top = axisMax(Math.max(...buckets.flatMap((bucket) => [bucket.created, bucket.resolved])));
  const total = (key: 'created' | 'resolved' | 'cancelled') => buckets.reduce((sum, bucket) => sum + bucket[key], 0);
  const labelOf = labeller(buckets, interval);
  const first = labelOf(buckets[0].date);
  const last = labelOf(buckets[buckets.length - 1].date);
  const label = `Tasks created and resolved per ${interval}, ${first} to ${last}: ${total('created')} created, ${total('resolved')} resolved.`;
  return (
    <>
      <p className="stats-totals">
        <strong>{total('created')}</strong> created · <strong>{total('resolved')}</strong> resolved ·{' '}
        <strong>{total('cancelled')}</strong> cancelled
      </p>
      <Legend
        items={[
          ['created', 'Created'],
          ['resolved', 'Resolved'],
        ]}
      />
      <Plot label={label} top={top} width={Math.max(buckets.length, 1)} first={first} last={last}>
        {buckets.map((bucket, index) => (
          <g key={bucket.date}>
            <rect className="created" x={index + 0.12} width={0.36} y={top - bucket.created} height={bucket.created}>
              <title>{`${labelOf(bucket.date)}: ${bucket.created} created`}</title>
            </rect>
            <rect className="resolved" x={index + 0.52} width={0.36} y={top - bucket.resolved} height={bucket.resolved}>
              <title>{`${labelOf(bucket.date)}: ${bucket.resolved} resolved`}</title>
            </rect>
          </g>
        ))}
      </Plot>
      <DataTable
        head={[bucketNoun[interval], 'Created', 'Resolved', 'Cancelled']}
        rows={buckets.map((bucket) => ({
          key: bucket.date,
          cells: [labelOf(bucket.date), bucket.created, bucket.resolved, bucket.cancelled],
        }))}
      />
    </>
  );
}

function Plot(props: { label: string; top: number; width: number; first: string; last: string; children: ReactNode }) {
  const { label, top, width, first, last, children } = props;
  return (
    <div className="stats-plot">
      <div className="stats-plot-axis" aria-hidden="true">
        <span>{top}</span>
        <span>{top / 2}</span>
        <span>0</span>
      </div>
      <svg viewBox={`0 0 ${width} ${top}`} preserveAspectRatio="none" role="img" aria-label={label}>
        {[0, top / 2, top].map((y) => (
          <line key={y} className="stats-gridline" x1={0} x2={width} y1={y} y2={y} vectorEffect="non-scaling-stroke" />
        ))}
        {children}
      </svg>
      <div className="stats-plot-dates" aria-hidden="true">
        <span>{first}</span>
        <span>{last}</span>
      </div>
    </div>
  );
}

function Legend({ items }: { items: [string, string][] }) {
  return (
    <ul className="stats-legend" aria-hidden="true">
      {items.map(([key, text]) => (
        <li key={key}>
          <span className={`stats-swatch ${key}`} />
          {text}
        </li>
      ))}
    </ul>
  );
}

function DataTable({ head, rows }: { head: string[]; rows: { key: string; cells: (string | number)[] }[] }) {
  return (
    <details className="stats-table">
      <summary>Show as a table</summary>
      <div className="stats-table-scroll">
        <table>
          <thead>
            <tr>
              {head.map((cell) => (
                <th key={cell} scope="col">
                  {cell}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map(({ key, cells: [first, ...rest] }) => (
              <tr key={key}>
                <th scope="row">{first}</th>
                {rest.map((cell, index) => (
                  <td key={index}>{cell}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
