import type { Schema } from '@taskinbox/client';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { describeError } from '../api/api.client';
import { ConfirmButton } from '../admin/confirm.button';
import { ErrorState, Loading } from '../layout/load.states';
import { useSignedIn } from '../session/session.context';
import { describeAction, when } from './devices.format';
import { useAddSchedule, useDevices, useGroups, useJob, useRemoveSchedule } from './devices.queries';
import type { Device, DeviceGroup, Job } from './devices.types';
import { RunList } from './run-list.view';
import { RunNowPanel } from './run-now.panel';
import { TargetSelect } from './target.select';

type Misfire = NonNullable<Schema<'JobScheduleDto'>['misfire']>;
type Overlap = NonNullable<Schema<'JobScheduleDto'>['overlap']>;

/** A job: its actions and policies, run now on a device or group (live per device), its schedules and runs. */
export function JobPage() {
  const { id = '' } = useParams();
  const { role } = useSignedIn();
  const job = useJob(id);
  const devices = useDevices();
  const groups = useGroups();
  if (job.isPending) return <Loading what="the job" />;
  if (job.isError) return <ErrorState error={job.error} retry={() => void job.refetch()} />;
  const spec = job.data;
  return (
    <div className="stack">
      <Link to="/devices/jobs" className="back">
        ← Jobs
      </Link>
      <section className="card stack" aria-label="Job">
        <h2 className="break">{spec.name}</h2>
        {spec.description && <p>{spec.description}</p>}
        <ol className="actions-list" aria-label="Actions">
          {spec.actions.map((action, index) => (
            <li key={index} className="break">
              <code>{action.type}</code> {describeAction(action)}
              {action.timeoutSeconds ? <span className="muted"> (timeout {action.timeoutSeconds} s)</span> : null}
            </li>
          ))}
        </ol>
        <p className="muted">
          Version {spec.version} · on failure: {spec.onFailure === 'stop' ? 'stop' : 'continue'} · runs as {spec.runAs ?? 'the agent’s run-as user'}
          {spec.openTaskOnFailure ? ' · a failed run opens an inbox task' : ''}
        </p>
      </section>
      {role !== 'viewer' && <RunNowPanel jobId={spec.id} devices={devices.data ?? []} groups={groups.data ?? []} />}
      <Schedules job={spec} devices={devices.data ?? []} groups={groups.data ?? []} admin={role === 'admin'} />
      <section className="stack" aria-label="Recent runs">
        <h2>Recent runs</h2>
        <RunList filter={{ jobId: spec.id, limit: 20 }} />
      </section>
    </div>
  );
}

const misfireText = { skip: 'skip missed slots', run_once: 'run once for missed slots', run_all: 'run every missed slot' } as const;
const overlapText = { allow: 'overlap allowed', forbid: 'never overlap', replace: 'a new run replaces a running one' } as const;

function Schedules({ job, devices, groups, admin }: { job: Job; devices: Device[]; groups: DeviceGroup[]; admin: boolean }) {
  const remove = useRemoveSchedule(job.id);
  const target = (schedule: Job['schedules'][number]) =>
    schedule.deviceId
      ? (devices.find((device) => device.id === schedule.deviceId)?.name ?? 'a device')
      : `group ${groups.find((group) => group.id === schedule.groupId)?.name ?? ''}`;
  return (
    <section className="stack" aria-label="Schedules">
      <h2>Schedules</h2>
      {job.schedules.length === 0 && <p className="muted">No schedule: this job runs when asked.</p>}
      <ul className="device-list">
        {job.schedules.map((schedule) => (
          <li key={schedule.id} className="card">
            <p>
              <code>{schedule.cron}</code> in {schedule.timezone} on {target(schedule)}
              {!schedule.enabled && <strong> (paused)</strong>}
            </p>
            <p className="muted">
              {misfireText[schedule.misfire]}
              {schedule.startingDeadlineSeconds ? ` within ${schedule.startingDeadlineSeconds} s` : ''} · {overlapText[schedule.overlap]}
            </p>
            {schedule.nextRuns.length > 0 && <p className="muted">Next: {schedule.nextRuns.slice(0, 3).map(when).join(' · ')}</p>}
            {admin && (
              <ConfirmButton
                label="Remove schedule"
                question="Remove this schedule? Devices drop it at their next sync."
                confirmLabel="Remove"
                busy={remove.isPending}
                onConfirm={() => remove.mutate(schedule.id)}
              />
            )}
          </li>
        ))}
      </ul>
      {admin && <ScheduleForm jobId={job.id} devices={devices} groups={groups} />}
    </section>
  );
}

function ScheduleForm({ jobId, devices, groups }: { jobId: string; devices: Device[]; groups: DeviceGroup[] }) {
  const add = useAddSchedule(jobId);
  const [cron, setCron] = useState('0 3 * * *');
  const [timezone, setTimezone] = useState(Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [target, setTarget] = useState('');
  const [misfire, setMisfire] = useState<Misfire>('skip');
  const [overlap, setOverlap] = useState<Overlap>('forbid');
  return (
    <form
      className="card stack"
      aria-label="New schedule"
      onSubmit={(event) => {
        event.preventDefault();
        const [kind, id] = target.split(':');
        add.mutate({ cron, timezone, misfire, overlap, [kind === 'group' ? 'groupId' : 'deviceId']: id });
      }}
    >
      <h3>New schedule</h3>
      <label>
        Cron (minute hour day month weekday)
        <input value={cron} onChange={(event) => setCron(event.target.value)} required />
      </label>
      <label>
        Time zone
        <input value={timezone} onChange={(event) => setTimezone(event.target.value)} required />
      </label>
      <TargetSelect devices={devices} groups={groups} value={target} onChange={setTarget} />
      <label>
        Missed slots
        <select value={misfire} onChange={(event) => setMisfire(event.target.value as Misfire)}>
          {Object.entries(misfireText).map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
      </label>
      <label>
        Overlap
        <select value={overlap} onChange={(event) => setOverlap(event.target.value as Overlap)}>
          {Object.entries(overlapText).map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
      </label>
      {add.isError && <p className="error">{describeError(add.error)}</p>}
      <div>
        <button type="submit" className="button primary" disabled={add.isPending || !target}>
          Add schedule
        </button>
      </div>
    </form>
  );
}
