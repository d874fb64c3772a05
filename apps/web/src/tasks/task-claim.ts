import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { api, ApiError, describeError } from '../api/api.client';
import { useNotify } from '../layout/notices.context';
import { expectTaskVersion, refreshTask } from './task.queries';
import type { TaskView } from './task.types';

export const alreadyTakenNotice =
  'This task has already been processed or is currently being handled by another administrator.';

/**
 * Claims a task ("Start task"). On 409 shows the calm notice and refetches the inbox and the
 * task; other errors show as an error notice. Resolves to the claimed task view, or null when
 * it was taken or refused.
 */
export function useClaimTask(): { claim(taskId: string): Promise<TaskView | null>; claiming: string | null } {
  const queries = useQueryClient();
  const notify = useNotify();
  const [claiming, setClaiming] = useState<string | null>(null);

  const claim = useCallback(
    async (taskId: string): Promise<TaskView | null> => {
      setClaiming(taskId);
      try {
        const view = await api<TaskView>('POST', `/api/inbox/tasks/${encodeURIComponent(taskId)}/claim`);
        expectTaskVersion(taskId, view.version);
        await refreshTask(queries, taskId);
        return view;
      } catch (error) {
        if (error instanceof ApiError && error.status === 409) {
          // Losing a race is normal work, not a failure: say so calmly and show who has it now.
          notify(alreadyTakenNotice, 'info');
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

export type { TaskView } from './task.types';
