import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, describeError } from '../api/api.client';
import { useNotify } from '../layout/notices.context';
import { expectTaskVersion } from '../live/read-your-writes.store';
import { bodyOf, emptyDraft, type TaskDraft, TaskDetailsFields } from './task-details.form';
import type { TaskView } from './task.types';
import './task-form.css';

const typePattern = '[a-z0-9][a-z0-9._\\-]{0,63}';

/** A task made by hand: what it is, when it is due, who should do it, and what it is about. */
export function NewTaskPage() {
  const [draft, setDraft] = useState<TaskDraft>(emptyDraft);
  const [type, setType] = useState('task');
  const navigate = useNavigate();
  const queries = useQueryClient();
  const notify = useNotify();
  const create = useMutation({
    mutationFn: () => api<TaskView>('POST', '/api/tasks', { type: type.trim(), ...withoutEmpty(bodyOf(draft)) }),
    onSuccess: async (task) => {
      expectTaskVersion(task.id, task.version);
      await queries.invalidateQueries({ queryKey: ['inbox'] });
      notify('Task created.', 'success');
      void navigate(`/tasks/${task.id}`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!create.isPending) create.mutate();
  };

  return (
    <div className="task-form-page">
      <Link to="/" className="task-back">
        <span aria-hidden="true">←</span>Inbox
      </Link>
      <h1>New task</h1>
      <form className="card stack task-form" onSubmit={submit} aria-label="New task">
        <label>
          Type
          <input
            name="type"
            value={type}
            required
            maxLength={64}
            pattern={typePattern}
            title="Lower-case letters, digits, dots, dashes or underscores, e.g. refund.request"
            onChange={(event) => setType(event.target.value)}
          />
        </label>
        <TaskDetailsFields draft={draft} onChange={setDraft} />
        {create.isError && (
          <p role="alert" className="error">
            {describeError(create.error)}
          </p>
        )}
        <div className="row task-form-buttons">
          <Link to="/" className="button">
            Discard
          </Link>
          <button type="submit" className="button primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create task'}
          </button>
        </div>
      </form>
    </div>
  );
}

/** A new task leaves out what the person left empty (null is for clearing an existing field). */
const withoutEmpty = (body: object) =>
  Object.fromEntries(
    Object.entries(body).filter(
      ([, value]) => value !== null && !(Array.isArray(value) && value.length === 0) && value !== false,
    ),
  );
