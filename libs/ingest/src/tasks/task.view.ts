import type { NamedAssignee } from '@taskinbox/auth';
import type { Actor, ExistingTask, TaskAction } from '@taskinbox/domain';
import { allowedActions } from '@taskinbox/domain';
import type { CommandOutcome } from './task-command.handler';

export type TaskView = Omit<ExistingTask, 'exists' | 'assignees' | 'typeVersion' | 'actions' | 'deleted'> & {
  /** Stream revision (0-based); pass it to reads that must reflect this change. */
  version: number;
  /** The version of the task's type its payload was checked against; null for unregistered types. */
  typeVersion: number | null;
  /** Suggested owners with their current names. */
  assignees: NamedAssignee[];
  /** What the caller may do next; the server accepts exactly these. */
  allowedActions: TaskAction[];
};

export function toTaskView(
  { task, version }: Pick<CommandOutcome, 'task' | 'version'>,
  viewer: Actor,
  assignees: NamedAssignee[],
): TaskView {
  // Custom actions show on the timeline; the fold's bookkeeping of them is not part of the view.
  const { exists: _exists, actions: _actions, deleted: _deleted, ...rest } = task;
  return { ...rest, typeVersion: task.typeVersion ?? null, assignees, version, allowedActions: allowedActions(task, viewer) };
}
