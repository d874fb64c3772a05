import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Schema } from '@taskinbox/client';
import { answer, api, ApiError, describeError } from '../api/api.client';
import { retryWhileNew, retryWhileNewDelay } from '../api/query.retry';
import type { TaskTimeline } from '../api/api.types';
import type { LogPositionMeta } from '../live/catch-up.reads';
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
      const timeline: TaskTimeline = await answer(
        api.GET('/api/tasks/{id}/timeline', { params: { path: { id: taskId }, query: { minVersion } } }),
      );
      sawTaskVersion(taskId, timeline.task.version);
      return timeline;
    },
    retry: retryWhileNew,
    retryDelay: retryWhileNewDelay,
    meta: timelinePositionMeta,
  });
}

/** Where the task was read: the read models' position then (none before the projector's first batch). */
const timelinePositionMeta: LogPositionMeta = {
  logPosition: (data) => (data as TaskTimeline).position ?? undefined,
};

/** Refetches the task and marks the inbox lists stale, after a change of that task. */
export function refreshTask(queries: QueryClient, taskId: string): Promise<unknown> {
  return Promise.all([
    queries.invalidateQueries({ queryKey: ['inbox'] }),
    queries.invalidateQueries({ queryKey: taskKey(taskId) }),
  ]);
}

/** A command on the task, by the path under /api/tasks/{id}/ and the body it takes. */
export type TaskCommand = {
  /** The notice shown when it worked; none when the page itself shows the result. */
  done?: string;
} & (
  | { path: 'release' | 'resume' }
  | { path: 'complete'; body: Schema<'CompleteTaskDto'> }
  | { path: 'hold' | 'cancel'; body: Schema<'ReasonDto'> }
  | { path: 'comments'; body: Schema<'CommentDto'> }
  | { path: `actions/${string}`; body: Schema<'RunActionBodyDto'> }
);

function send(taskId: string, command: TaskCommand) {
  const onTask = { params: { path: { id: taskId } } };
  switch (command.path) {
    case 'release':
      return api.POST('/api/tasks/{id}/release', onTask);
    case 'resume':
      return api.POST('/api/tasks/{id}/resume', onTask);
    case 'complete':
      return api.POST('/api/tasks/{id}/complete', { ...onTask, body: command.body });
    case 'hold':
      return api.POST('/api/tasks/{id}/hold', { ...onTask, body: command.body });
    case 'cancel':
      return api.POST('/api/tasks/{id}/cancel', { ...onTask, body: command.body });
    case 'comments':
      return api.POST('/api/tasks/{id}/comments', { ...onTask, body: command.body });
    default: {
      const key = command.path.slice('actions/'.length);
      return api.POST('/api/tasks/{id}/actions/{key}', { params: { path: { id: taskId, key } }, body: command.body });
    }
  }
}

/**
 * Runs a command on the task; settles once the page shows its result. A refusal (409/403) means
 * the page was out of date, so the task is read again along with the error notice.
 */
export function useTaskCommand(taskId: string) {
  const queries = useQueryClient();
  const notify = useNotify();
  return useMutation({
    mutationFn: (command: TaskCommand): Promise<TaskView> => answer(send(taskId, command)),
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
