import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { answer, api, ApiError, describeError } from '../api/api.client';
import { useNotify } from '../layout/notices.context';
import { expectTaskVersion } from '../live/read-your-writes.store';
import { refreshTask } from './task.queries';
import type { TaskView } from './task.types';

export const alreadyTakenNotice =
  'This task has already been processed or is currently being handled by another administrator.';

/** The task as the person saw it when they pressed Start task. */
export interface ShownTask {
  id: string;
  version: number;
}

/**
 * Claims a task ("Start task"). On 409 shows the calm notice and refetches the inbox and the
 * task; other errors show as an error notice. Resolves to the claimed task view, or null when
 * it was taken or refused.
 */
export function useClaimTask(): { claim(shown: ShownTask): Promise<TaskView | null>; claiming: string | null } {
  const queries = useQueryClient();
  const notify = useNotify();
  const [claiming, setClaiming] = useState<string | null>(null);

  const claim = useCallback(
    async ({ id: taskId, version: shownVersion }: ShownTask): Promise<TaskView | null> => {
      setClaiming(taskId);
      try {
        const view = await answer(api.POST('/api/inbox/tasks/{id}/claim', { params: { path: { id: taskId } } }));
        expectTaskVersion(taskId, view.version);
        await refreshTask(queries, taskId);
        return view;
      } catch (error) {
        if (error instanceof ApiError && error.status === 409) {
          // Losing a race is normal work, not a failure: say so calmly and show who has it now.
          notify(alreadyTakenNotice, 'info');
          // Someone changed the task after the version shown, so the next read waits for at
          // least one more; a read model a moment behind would otherwise offer Start task again.
          expectTaskVersion(taskId, shownVersion + 1);
          await refreshTask(queries, taskId);
        } else {
          notify(describeError(error), 'error');
        }
        return null;
      } finally {
        // Another claim may have started meanwhile; it keeps its own indicator.
        setClaiming((current) => (current === taskId ? null : current));
      }
    },
    [queries, notify],
  );

  return { claim, claiming };
}
