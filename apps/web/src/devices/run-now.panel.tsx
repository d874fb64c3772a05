import { useState } from 'react';
import { describeError } from '../api/api.client';
import { useRunNow } from './devices.queries';
import type { Device, DeviceGroup } from './devices.types';
import { TargetSelect } from './target.select';
import { RunList } from './run-list.view';

/** Run now on a device or a group; the runs it made then follow live, one line per device. */
export function RunNowPanel({ jobId, devices, groups }: { jobId: string; devices: Device[]; groups: DeviceGroup[] }) {
  const runNow = useRunNow(jobId);
  const [target, setTarget] = useState('');
  const started = runNow.data;
  return (
    <section className="card stack" aria-label="Run now">
      <h2>Run now</h2>
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          const [kind, id] = target.split(':');
          runNow.mutate(kind === 'group' ? { groupId: id } : { deviceId: id });
        }}
      >
        <TargetSelect devices={devices} groups={groups} value={target} onChange={setTarget} />
        {runNow.isError && <p className="error">{describeError(runNow.error)}</p>}
        <div>
          <button type="submit" className="button primary" disabled={runNow.isPending || !target}>
            Run now
          </button>
        </div>
      </form>
      {started && (
        <div className="stack" aria-label="This run, per device">
          <p className="muted">
            Asked {started.runs.length === 1 ? 'one device' : `${started.runs.length} devices`}; offline devices run it when they return.
          </p>
          <RunList filter={started.batchId ? { batchId: started.batchId, limit: 500 } : { runIds: started.runs.map((run) => run.runId) }} />
        </div>
      )}
    </section>
  );
}
