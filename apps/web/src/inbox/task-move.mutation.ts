import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { answer, api, ApiError, describeError } from '../api/api.client';
import type { TaskStatus, TaskSummary } from '../api/api.types';
import { useNotify } from '../layout/notices.context';
import { expectTaskVersion } from '../live/read-your-writes.store';
import { alreadyTakenNotice } from '../tasks/task-claim.mutation';
import { statusLabels } from '../tasks/task.format';

/** Moves a task to a status through PUT /api/inbox/tasks/{id}, as the board's drag and "Move to" do. */
export function useMoveTask() {
  const queries = useQueryClient();
  const notify = useNotify();
  const [moving, setMoving] = useState<string | null>(null);

  async function move(
    task: TaskSummary,
    to: TaskStatus,
    details: { resolution?: string; note?: string } = {},
  ): Promise<boolean> {
    setMoving(task.id);
    try {
      const view = await answer(
        api.PUT('/api/inbox/tasks/{id}', { params: { path: { id: task.id } }, body: { status: to, ...details } }),
      );
      expectTaskVersion(task.id, view.version);
      notify(`"${task.title}" is now ${statusLabels[view.status].toLowerCase()}.`, 'success');
      await queries.invalidateQueries({ queryKey: ['task', task.id] });
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'task_already_claimed') notify(alreadyTakenNotice, 'info');
      else notify(describeError(error), 'error');
      // The board was behind the task; read past the version it showed.
      if (error instanceof ApiError && error.status === 409) expectTaskVersion(task.id, task.version + 1);
      return false;
    } finally {
      await queries.invalidateQueries({ queryKey: ['inbox'] });
      setMoving(null);
    }
  }

  return { move, moving };
}
