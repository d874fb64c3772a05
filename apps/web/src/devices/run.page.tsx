import { Link, useParams } from 'react-router';
import { describeError } from '../api/api.client';
import { ErrorState, Loading } from '../layout/load.states';
import { useSignedIn } from '../session/session.context';
import { isFinished, when } from './devices.format';
import { useCancelRun, useRun } from './devices.queries';
import { RunStatus } from './run-list.view';

/** One run on one device: its status as it happens, and each action's code, output and error. */
export function RunPage() {
  const { id = '' } = useParams();
  const { role } = useSignedIn();
  const run = useRun(id);
  const cancel = useCancelRun();
  if (run.isPending) return <Loading what="the run" />;
  if (run.isError) return <ErrorState error={run.error} retry={() => void run.refetch()} />;
  const detail = run.data;
  return (
    <div className="stack">
      <Link to={`/devices/jobs/${detail.jobId}`} className="back">
        ← {detail.jobName ?? 'Job'}
      </Link>
      <section className="card stack" aria-label="Run">
        <div className="row">
          <RunStatus status={detail.status} />
          <h2 className="break">
            {detail.jobName} on {detail.deviceName ?? detail.deviceId}
          </h2>
        </div>
        <dl className="facts">
          <dt>Trigger</dt>
          <dd>{detail.trigger === 'now' ? 'Run now' : `Schedule, slot ${when(detail.scheduledFor)}`}</dd>
          <dt>Asked</dt>
          <dd>{when(detail.at)}</dd>
          <dt>Started</dt>
          <dd>{when(detail.startedAt)}</dd>
          <dt>Finished</dt>
          <dd>{when(detail.finishedAt)}</dd>
          <dt>Actions</dt>
          <dd>
            {detail.actionsDone} of {detail.actionCount}
          </dd>
          {detail.taskId && (
            <>
              <dt>Inbox task</dt>
              <dd>
                <Link to={`/tasks/${detail.taskId}`}>Opened for this failure</Link>
              </dd>
            </>
          )}
        </dl>
        {detail.error && <p className="error break">{detail.error}</p>}
        {detail.missedReason && <p className="muted">Missed: {detail.missedReason}</p>}
        {role !== 'viewer' && !isFinished(detail.status) && (
          <div>
            <button type="button" className="button danger" disabled={cancel.isPending} onClick={() => cancel.mutate(detail.id)}>
              Cancel run
            </button>
            {cancel.isError && <p className="error">{describeError(cancel.error)}</p>}
          </div>
        )}
      </section>
      <ol className="run-actions" aria-label="Action results">
        {detail.actions.map((action) => (
          <li key={action.index} className="card stack">
            <div className="row">
              <span className={`badge ${action.ok ? 'run-succeeded' : 'run-failed'}`}>{action.ok ? 'OK' : 'Failed'}</span>
              <code className="break">{action.summary}</code>
            </div>
            <p className="muted">
              Code {action.code ?? '—'} · {action.durationMs} ms{action.truncated ? ' · output truncated (head and tail kept)' : ''}
            </p>
            {action.output && (
              <pre aria-label={`Output of action ${action.index + 1}`}>{action.output}</pre>
            )}
            {action.error && (
              <pre className="stderr" aria-label={`Error of action ${action.index + 1}`}>
                {action.error}
              </pre>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
