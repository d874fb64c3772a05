import type { ExistingTask, TaskAction } from '@taskinbox/domain';

/** What a command answers: the task as its event stream says right after the change. */
export type TaskView = Omit<ExistingTask, 'exists' | 'version'> & {
  /** Stream revision (0-based): the minVersion of the read that must show this change. */
  version: number;
  allowedActions: TaskAction[];
};
