import type { TaskStatus } from './task.events';

// Rejections are values, not exceptions: decide() returns one of these and the
// HTTP/NATS edges map each code to a status in one exhaustive place.

export class TaskNotFound {
  readonly code = 'task_not_found';
  readonly message = 'Task not found.';
}

export class TaskAlreadyExists {
  readonly code = 'task_already_exists';
  readonly message = 'A task with this id already exists.';
}

export class TaskAlreadyClaimed {
  readonly code = 'task_already_claimed';
  readonly message = 'Task is already being processed by another user.';
}

export class NotTheClaimer {
  readonly code = 'not_the_claimer';
  constructor(readonly action: string) {}
  get message(): string {
    return `Only the user who claimed this task may ${this.action} it.`;
  }
}

export class ActionNotAllowed {
  readonly code = 'action_not_allowed';
  constructor(readonly message: string) {}
}

export class IllegalTransition {
  readonly code = 'illegal_transition';
  constructor(
    readonly action: string,
    readonly status: TaskStatus,
  ) {}
  get message(): string {
    return `Cannot ${this.action} a task whose status is '${this.status}'.`;
  }
}

export class InvalidTaskCommand {
  readonly code = 'invalid_task_command';
  constructor(readonly message: string) {}
}

export type TaskRejection =
  | TaskNotFound
  | TaskAlreadyExists
  | TaskAlreadyClaimed
  | NotTheClaimer
  | ActionNotAllowed
  | IllegalTransition
  | InvalidTaskCommand;

export type TaskRejectionCode = TaskRejection['code'];
