import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { Schema } from '@taskinbox/client';
import { answer, api, describeError } from '../api/api.client';
import { useNotify } from '../layout/notices.context';
import { useMembers } from '../session/members.query';
import { useSignedIn } from '../session/session.context';

type BulkAction = Extract<Schema<'BulkTaskDto'>['action'], 'assign' | 'tag' | 'cancel' | 'delete'>;

/**
 * What can be done to the selected rows at once (POST /api/tasks/bulk): assign to a person, add
 * a tag, and for admins cancel or delete. Each task is changed on its own; the notice says how
 * many were refused and why.
 */
export function TaskBulkBar({ ids, onDone }: { ids: string[]; onDone(): void }) {
  const { role, userId } = useSignedIn();
  const { data: members } = useMembers();
  const queries = useQueryClient();
  const notify = useNotify();
  const [assignee, setAssignee] = useState(userId);
  const [tag, setTag] = useState('');
  const bulk = useMutation({
    mutationFn: ({ action, args }: { action: BulkAction; args?: Record<string, unknown> }) =>
      answer(api.POST('/api/tasks/bulk', { body: { ids, action, ...(args ? { args } : {}) } })),
    onSuccess: async ({ results }) => {
      const refused = results.filter((result) => !result.ok);
      await queries.invalidateQueries({ queryKey: ['inbox'] });
      if (refused.length === 0)
        notify(`${results.length} ${results.length === 1 ? 'task' : 'tasks'} changed.`, 'success');
      else
        notify(
          `${results.length - refused.length} changed, ${refused.length} refused: ${refused[0].message ?? refused[0].statusCode}`,
          'error',
        );
      onDone();
    },
    onError: (error) => notify(describeError(error), 'error'),
  });
  const run = (action: BulkAction, args?: Record<string, unknown>) => bulk.mutate({ action, args });

  function addTag(event: FormEvent) {
    event.preventDefault();
    if (tag.trim()) run('tag', { tags: [tag.trim()] });
  }

  return (
    <section className="bulk-bar" aria-label="Selected tasks">
      <strong>{ids.length} selected</strong>
      {role !== 'viewer' && (
        <>
          <form
            className="row"
            onSubmit={(event) => (event.preventDefault(), run('assign', { kind: 'user', id: assignee }))}
          >
            <label>
              <span className="visually-hidden">Assign to</span>
              <select value={assignee} onChange={(event) => setAssignee(event.target.value)}>
                {(members ?? []).map((member) => (
                  <option key={member.id} value={member.id}>
                    {member.id === userId ? 'Me' : member.name || member.email}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="button small" disabled={bulk.isPending}>
              Assign
            </button>
          </form>
          <form className="row" onSubmit={addTag}>
            <label>
              <span className="visually-hidden">Tag</span>
              <input value={tag} maxLength={50} placeholder="Tag" onChange={(event) => setTag(event.target.value)} />
            </label>
            <button type="submit" className="button small" disabled={bulk.isPending || !tag.trim()}>
              Tag
            </button>
          </form>
        </>
      )}
      {role === 'admin' && (
        <>
          <button type="button" className="button small" disabled={bulk.isPending} onClick={() => run('cancel')}>
            Cancel tasks
          </button>
          <button
            type="button"
            className="button small danger"
            disabled={bulk.isPending}
            onClick={() =>
              window.confirm(
                `Delete ${ids.length} ${ids.length === 1 ? 'task' : 'tasks'}? They disappear for everyone.`,
              ) && run('delete')
            }
          >
            Delete
          </button>
        </>
      )}
      <button type="button" className="button small" onClick={onDone}>
        Clear selection
      </button>
    </section>
  );
}
