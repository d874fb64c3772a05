import { useState } from 'react';
import { Link } from 'react-router';
import { describeError } from '../api/api.client';
import { Empty, ErrorState, Loading } from '../layout/load.states';
import { useSignedIn } from '../session/session.context';
import { describeAction } from './devices.format';
import { useCreateJob, useJobs } from './devices.queries';
import type { ActionType, JobActionDraft } from './devices.types';

/** The jobs devices run: a description and ordered actions, with their schedules. */
export function JobsView() {
  const { role } = useSignedIn();
  const jobs = useJobs();
  if (jobs.isPending) return <Loading what="jobs" />;
  if (jobs.isError) return <ErrorState error={jobs.error} retry={() => void jobs.refetch()} />;
  return (
    <div className="stack">
      {role === 'admin' && <JobForm />}
      {jobs.data.length === 0 ? (
        <Empty>No job yet.</Empty>
      ) : (
        <ul className="device-list" aria-label="Jobs">
          {jobs.data.map((job) => (
            <li key={job.id} className="card">
              <h2 className="break">
                <Link to={`/devices/jobs/${job.id}`}>{job.name}</Link>
              </h2>
              {job.description && <p className="muted">{job.description}</p>}
              <ol className="actions-list">
                {job.actions.map((action, index) => (
                  <li key={index} className="break">
                    <code>{action.type}</code> {describeAction(action)}
                  </li>
                ))}
              </ol>
              <p className="muted">
                {job.schedules.length === 0
                  ? 'No schedule: runs when asked.'
                  : job.schedules.map((schedule) => `${schedule.cron} (${schedule.timezone})`).join(' · ')}
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

const blank: Record<ActionType, JobActionDraft> = {
  COMMAND: { type: 'COMMAND', command: '', arguments: [] },
  SCRIPT: { type: 'SCRIPT', interpreter: '/bin/sh', content: '' },
  HTTP_REQUEST: { type: 'HTTP_REQUEST', method: 'GET', url: '' },
  READ_FILE: { type: 'READ_FILE', path: '' },
};

function JobForm() {
  const create = useCreateJob();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [actions, setActions] = useState<JobActionDraft[]>([blank.COMMAND]);
  const [onFailure, setOnFailure] = useState<'stop' | 'continue'>('stop');
  const [openTask, setOpenTask] = useState(false);
  if (!open)
    return (
      <button type="button" className="button primary" onClick={() => setOpen(true)}>
        New job
      </button>
    );
  const change = (index: number, patch: Partial<JobActionDraft>) =>
    setActions((all) => all.map((action, at) => (at === index ? { ...action, ...patch } : action)));
  return (
    <form
      className="card stack"
      aria-label="New job"
      onSubmit={(event) => {
        event.preventDefault();
        create.mutate(
          { name, ...(description ? { description } : {}), actions, onFailure, openTaskOnFailure: openTask },
          { onSuccess: () => setOpen(false) },
        );
      }}
    >
      <h2>New job</h2>
      <label>
        Name
        <input value={name} onChange={(event) => setName(event.target.value)} required maxLength={100} />
      </label>
      <label>
        Description
        <input value={description} onChange={(event) => setDescription(event.target.value)} />
      </label>
      {actions.map((action, index) => (
        <fieldset key={index}>
          <legend>Action {index + 1}</legend>
          <label>
            Kind
            <select value={action.type} onChange={(event) => change(index, blank[event.target.value as ActionType])}>
              <option value="COMMAND">Command</option>
              <option value="SCRIPT">Script</option>
              <option value="HTTP_REQUEST">HTTP request</option>
              <option value="READ_FILE">Read a file</option>
            </select>
          </label>
          <ActionFields action={action} change={(patch) => change(index, patch)} />
          {actions.length > 1 && (
            <button type="button" className="link" onClick={() => setActions((all) => all.filter((_, at) => at !== index))}>
              Remove action {index + 1}
            </button>
          )}
        </fieldset>
      ))}
      <div>
        <button type="button" className="button small" onClick={() => setActions((all) => [...all, blank.COMMAND])}>
          Add an action
        </button>
      </div>
      <label>
        When an action fails
        <select value={onFailure} onChange={(event) => setOnFailure(event.target.value as 'stop' | 'continue')}>
          <option value="stop">Stop the run</option>
          <option value="continue">Go on with the next action</option>
        </select>
      </label>
      <label className="check">
        <input type="checkbox" checked={openTask} onChange={(event) => setOpenTask(event.target.checked)} />
        A failed run opens an inbox task
      </label>
      {create.isError && <p className="error">{describeError(create.error)}</p>}
      <div className="row">
        <button type="submit" className="button primary" disabled={create.isPending}>
          Create job
        </button>
        <button type="button" className="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function ActionFields({ action, change }: { action: JobActionDraft; change: (patch: Partial<JobActionDraft>) => void }) {
  switch (action.type) {
    case 'COMMAND':
      return (
        <>
          <label>
            Command
            <input value={action.command ?? ''} onChange={(event) => change({ command: event.target.value })} required />
          </label>
          <label>
            Arguments (one a line)
            <textarea
              value={(action.arguments ?? []).join('\n')}
              onChange={(event) => change({ arguments: event.target.value.split('\n').filter((line) => line !== '') })}
            />
          </label>
        </>
      );
    case 'SCRIPT':
      return (
        <>
          <label>
            Interpreter
            <input value={action.interpreter ?? ''} onChange={(event) => change({ interpreter: event.target.value })} />
          </label>
          <label>
            Script
            <textarea value={action.content ?? ''} onChange={(event) => change({ content: event.target.value })} required />
          </label>
        </>
      );
    case 'HTTP_REQUEST':
      return (
        <>
          <label>
            Method
            <select value={action.method} onChange={(event) => change({ method: event.target.value as JobActionDraft['method'] })}>
              {['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'].map((method) => (
                <option key={method}>{method}</option>
              ))}
            </select>
          </label>
          <label>
            URL
            <input type="url" value={action.url ?? ''} onChange={(event) => change({ url: event.target.value })} required />
          </label>
        </>
      );
    case 'READ_FILE':
      return (
        <label>
          Path
          <input value={action.path ?? ''} onChange={(event) => change({ path: event.target.value })} required />
        </label>
      );
  }
}
