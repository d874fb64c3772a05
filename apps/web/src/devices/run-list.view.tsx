import { Link } from 'react-router';
import { Empty, ErrorState, Loading } from '../layout/load.states';
import { ago } from './devices.format';
import { useRun, useRuns } from './devices.queries';
import type { RunSummary } from './devices.types';

const statusText: Record<RunSummary['status'], string> = {
  requested: 'Waiting',
  dispatched: 'Sent',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  missed: 'Missed',
  cancelled: 'Cancelled',
};

export function RunStatus({ status }: { status: RunSummary['status'] }) {
  return <span className={`badge run-${status}`}>{statusText[status]}</span>;
}

type Filter = { jobId?: string; deviceId?: string; batchId?: string; limit?: number } | { runIds: string[] };

/** Runs, newest first, one line each: device, job, status, progress, when. Live through the devices stream. */
export function RunList({ filter }: { filter: Filter }) {
  if ('runIds' in filter)
    return (
      <ul className="run-list" aria-label="Runs">
        {filter.runIds.map((id) => (
          <OneRun key={id} id={id} />
        ))}
      </ul>
    );
  return <FilteredRuns filter={filter} />;
}

function FilteredRuns({ filter }: { filter: { jobId?: string; deviceId?: string; batchId?: string; limit?: number } }) {
  const runs = useRuns(filter);
  if (runs.isPending) return <Loading what="runs" />;
  if (runs.isError) return <ErrorState error={runs.error} retry={() => void runs.refetch()} />;
  if (runs.data.items.length === 0) return <Empty>No run yet.</Empty>;
  return (
    <ul className="run-list" aria-label="Runs">
      {runs.data.items.map((run) => (
        <RunLine key={run.id} run={run} />
      ))}
    </ul>
  );
}

function OneRun({ id }: { id: string }) {
  const run = useRun(id);
  if (!run.data) return <li className="card">Loading the run…</li>;
  return <RunLine run={run.data} />;
}

function RunLine({ run }: { run: RunSummary }) {
  return (
    <li className="card run-line" aria-label={`${run.deviceName ?? run.deviceId}: ${statusText[run.status]}`}>
      <RunStatus status={run.status} />
      <Link to={`/devices/runs/${run.id}`} className="break">
        {run.deviceName ?? run.deviceId}
      </Link>
      <span className="muted break">{run.jobName}</span>
      <span className="muted">
        {run.actionsDone}/{run.actionCount} actions · {ago(run.finishedAt ?? run.startedAt ?? run.at)}
      </span>
      {run.error && <span className="error break">{run.error}</span>}
    </li>
  );
}
