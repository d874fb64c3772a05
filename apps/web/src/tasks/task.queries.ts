import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, describeError, withQuery } from '../api/api.client';
import type { TaskTimeline } from '../api/api.types';
import { useNotify } from '../layout/notices.context';
import { expectTaskVersion, expectedVersion, sawTaskVersion } from '../live/read-your-writes.store';
import type { TaskView } from './task.types';

export const taskKey = (taskId: string) => ['task', taskId] as const;

/** A task with its timeline, from the read models. */
export function useTaskTimeline(taskId: string) {
  return useQuery({
    queryKey: taskKey(taskId),
    queryFn: async () => {
      const minVersion = expectedVersion(taskId);
      const answer = await api<TaskTimeline>(
        'GET',
        withQuery(`/api/tasks/${encodeURIComponent(taskId)}/timeline`, { minVersion }),
      );
      sawTaskVersion(taskId, answer.task.version);
      return answer;
    },
  });
}

/** Refetches the task and marks the inbox lists stale, after a change of that task. */
export function refreshTask(queries: QueryClient, taskId: string): Promise<unknown> {
  return Promise.all([
    queries.invalidateQueries({ queryKey: ['inbox'] }),
    queries.invalidateQueries({ queryKey: taskKey(taskId) }),
  ]);
}

export interface TaskCommand {
  /** The path under /api/tasks/{id}/, e.g. 'complete'. */
  path: 'release' | 'complete' | 'hold' | 'resume' | 'cancel' | 'comments' | `actions/${string}`;
  body?: Record<string, unknown>;
  /** The notice shown when it worked; none when the page itself shows the result. */
  done?: string;
}

/**
 * Runs a command on the task; settles once the page shows its result. A refusal (409/403) means
 * the page was out of date, so the task is read again along with the error notice.
 */
export function useTaskCommand(taskId: string) {
  const queries = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: ({ path, body }: TaskCommand) =>
      api<TaskView>('POST', `/api/tasks/${encodeURIComponent(taskId)}/${path}`, body),
    onSuccess: async (view, { done }) => {
      expectTaskVersion(taskId, view.version);
      await refreshTask(queries, taskId);
      if (done) notify(done, 'success');
    },
    onError: async (error) => {
      notify(describeError(error), 'error');
      if (error instanceof ApiError && (error.status === 409 || error.status === 403))
        await refreshTask(queries, taskId);
    },
  });
}
