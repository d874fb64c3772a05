import type { CodedError } from '@taskinbox/http';

// Refusals of the task-types context; libs/http maps each code to its HTTP status.

export class TaskTypeNotFound extends Error implements CodedError {
  readonly code = 'task_type_not_found';
  constructor(key: string, version?: number) {
    super(version === undefined ? `Task type '${key}' not found.` : `Task type '${key}' has no version ${version}.`);
  }
}

export class InvalidTaskType extends Error implements CodedError {
  readonly code = 'invalid_task_type';
  readonly details: { code: string; problems: string[] };
  constructor(message: string, problems: string[]) {
    super(message);
    this.details = { code: this.code, problems };
  }
}

export class TaskTypeExists extends Error implements CodedError {
  readonly code = 'task_type_exists';
}

/** Two admins published the same version at once: the later one should look and try again. */
export class TaskTypeVersionConflict extends Error implements CodedError {
  readonly code = 'task_type_version_conflict';
  constructor(key: string) {
    super(`Another version of '${key}' was published at the same moment: reload and publish again.`);
  }
}

export class UnknownTaskType extends Error implements CodedError {
  readonly code = 'unknown_task_type';
  constructor(key: string) {
    super(`Unknown task type '${key}': this organisation accepts only registered types (see /api/settings/task-types).`);
  }
}

export class TemplateNotFound extends Error implements CodedError {
  readonly code = 'template_not_found';
  constructor() {
    super('Template not found.');
  }
}

export class TemplateNameTaken extends Error implements CodedError {
  readonly code = 'template_name_taken';
  constructor(name: string) {
    super(`A template named '${name}' already exists.`);
  }
}

export class TaskActionNotFound extends Error implements CodedError {
  readonly code = 'task_action_not_found';
  constructor(key: string) {
    super(`This task's type has no action '${key}'.`);
  }
}
