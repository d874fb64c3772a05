import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { Schema } from '@taskinbox/client';
import { answer, api, describeError } from '../api/api.client';
import type { TaskDetail } from '../api/api.types';
import { ErrorState, Loading } from '../layout/load.states';
import { useNotify } from '../layout/notices.context';
import { expectTaskVersion } from '../live/read-your-writes.store';
import { changesOf, draftOf, type TaskDraft, TaskDetailsFields } from './task-details.form';
import { useTaskTimeline } from './task.queries';
import './task-form.css';

/** Everything PATCH /api/tasks/{id} allows: title, description, due, priority, tags, assignees, references, privacy. */
export function EditTaskPage() {
  const { id = '' } = useParams();
  const query = useTaskTimeline(id);
  const back = (
    <Link to={`/tasks/${id}`} className="task-back">
      <span aria-hidden="true">←</span>Task
    </Link>
  );
  if (query.isPending)
    return (
      <div className="task-form-page">
        {back}
        <Loading what="the task" />
      </div>
    );
  if (!query.data)
    return (
      <div className="task-form-page">
        {back}
        <h1>Edit task</h1>
        <ErrorState error={query.error} retry={() => void query.refetch()} />
      </div>
    );
  return (
    <div className="task-form-page">
      {back}
      <h1>Edit task</h1>
      {/* The draft starts from the task as first read; a live change meanwhile does not overwrite what is typed. */}
      <EditForm key={query.data.task.id} task={query.data.task} />
    </div>
  );
}

function EditForm({ task }: { task: TaskDetail }) {
  const [draft, setDraft] = useState<TaskDraft>(() => draftOf(task));
  const navigate = useNavigate();
  const notify = useNotify();
  const changes = changesOf(draft, task);
  const changed = Object.keys(changes).length > 0;
  const save = useMutation({
    // A cleared field goes as null, which the server takes as "none" (its DTO leaves null unsaid).
    mutationFn: () =>
      answer(
        api.PATCH('/api/tasks/{id}', { params: { path: { id: task.id } }, body: changes as Schema<'UpdateTaskDto'> }),
      ),
    onSuccess: (view) => {
      expectTaskVersion(task.id, view.version);
      notify('Task saved.', 'success');
      void navigate(`/tasks/${task.id}`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!changed) return void navigate(`/tasks/${task.id}`);
    if (!save.isPending) save.mutate();
  };
  const allowed = task.allowedActions.includes('update');
  return (
    <form className="card stack task-form" onSubmit={submit} aria-label="Edit task">
      {!allowed && <p className="muted">You may read this task but not change it.</p>}
      <fieldset disabled={!allowed} className="task-form-body stack">
        <TaskDetailsFields draft={draft} onChange={setDraft} />
      </fieldset>
      {save.isError && (
        <p role="alert" className="error">
          {describeError(save.error)}
        </p>
      )}
      <div className="row task-form-buttons">
        <Link to={`/tasks/${task.id}`} className="button">
          Discard
        </Link>
        <button type="submit" className="button primary" disabled={!allowed || save.isPending}>
          {save.isPending ? 'Saving…' : changed ? 'Save changes' : 'No changes'}
        </button>
      </div>
    </form>
  );
}
