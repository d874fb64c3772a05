import type { Actor, ExistingTask, TaskAction } from '@taskinbox/domain';
import { allowedActions } from '@taskinbox/domain';
import type { CommandOutcome } from './task-command.handler';

export type TaskView = Omit<ExistingTask, 'exists'> & {
  /** Stream revision (0-based); pass it to reads that must reflect this change. */
  version: number;
  /** What the caller may do next; the server accepts exactly these. */
  allowedActions: TaskAction[];
};

export function toTaskView({ task, version }: Pick<CommandOutcome, 'task' | 'version'>, viewer: Actor): TaskView {
  const { exists: _exists, ...rest } = task;
  return { ...rest, version, allowedActions: allowedActions(task, viewer) };
}
