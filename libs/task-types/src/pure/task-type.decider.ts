import {
  type ActorRole,
  actionLimits,
  displayFormats,
  httpMethods,
  type TaskTypeDefinition,
  taskPriorities,
  type TaskTypeVersion,
} from './task-type.definition';

// A task type's decider: decide(command, state) -> events, evolve(state, event) -> state. Pure.
// Its events are the published versions themselves: stored once each, never changed (the
// catalog's table has one row per event, keyed by type and version, so a second publisher of the
// same version loses).

export interface TaskTypeState {
  key: string;
  /** The latest published version; 0 before the first. */
  version: number;
}

export type TaskTypeCommand = {
  type: 'PublishTaskTypeVersion';
  key: string;
  definition: TaskTypeDefinition;
  /** What the schema check found (Ajv against the 2020-12 metaschema and our caps); the decider refuses on any. */
  schemaProblems: string[];
  /** Only for the first version (POST /api/task-types): refuses when the type exists. */
  mustBeNew: boolean;
  by: { kind: 'user'; id: string };
  now: string;
};

export type TaskTypeEvent = {
  type: 'TaskTypeVersionPublished';
  data: TaskTypeVersion & { publishedBy: { kind: 'user'; id: string }; publishedAt: string };
};

export type TaskTypeDecision =
  | { ok: true; events: TaskTypeEvent[] }
  | { ok: false; rejection: { code: 'invalid_task_type' | 'task_type_exists'; message: string; problems?: string[] } };

export const taskTypeKey = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const actionKey = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const jsonPointer = /^(\/([^~/]|~[01])*)*$/;
const isoDuration = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;
const roles: readonly ActorRole[] = ['admin', 'member', 'viewer'];

export const initialTaskTypeState = (key: string): TaskTypeState => ({ key, version: 0 });

export function evolveTaskType(state: TaskTypeState, event: TaskTypeEvent): TaskTypeState {
  return { key: state.key, version: Math.max(state.version, event.data.version) };
}

export function decideTaskType(command: TaskTypeCommand, state: TaskTypeState): TaskTypeDecision {
  if (command.mustBeNew && state.version > 0) {
    return { ok: false, rejection: { code: 'task_type_exists', message: `Task type '${command.key}' exists: publish a new version instead.` } };
  }
  const problems = [...command.schemaProblems, ...definitionProblems(command.key, command.definition)];
  if (problems.length > 0) {
    return { ok: false, rejection: { code: 'invalid_task_type', message: `Invalid task type: ${problems.join('; ')}.`, problems } };
  }
  const version = state.version + 1;
  return {
    ok: true,
    events: [
      {
        type: 'TaskTypeVersionPublished',
        data: { key: command.key, version, ...command.definition, publishedBy: command.by, publishedAt: command.now },
      },
    ],
  };
}

/** Everything but the schema's own validity, which Ajv judges. */
export function definitionProblems(key: string, definition: TaskTypeDefinition): string[] {
  const problems: string[] = [];
  if (!taskTypeKey.test(key)) problems.push('key must be 1-64 lower-case letters, digits, dots, dashes or underscores');
  if (!definition.name?.trim()) problems.push('name must not be empty');
  definition.layout.forEach((item, index) => {
    if (!jsonPointer.test(item.field)) problems.push(`layout[${index}].field must be a JSON Pointer (e.g. /amount)`);
    if (!displayFormats.includes(item.format)) problems.push(`layout[${index}].format must be one of ${displayFormats.join(', ')}`);
  });
  definition.publicFields.forEach((field, index) => {
    if (!jsonPointer.test(field)) problems.push(`publicFields[${index}] must be a JSON Pointer`);
  });
  const { defaults } = definition;
  if (defaults.priority !== undefined && !taskPriorities.includes(defaults.priority)) {
    problems.push(`defaults.priority must be one of ${taskPriorities.join(', ')}`);
  }
  if (defaults.dueOffset !== undefined && !isoDuration.test(defaults.dueOffset)) {
    problems.push('defaults.dueOffset must be an ISO 8601 duration (e.g. P2D, PT4H)');
  }
  if (definition.actions.length > actionLimits.maxActions) problems.push(`at most ${actionLimits.maxActions} actions`);
  const seen = new Set<string>();
  definition.actions.forEach((action, index) => {
    const at = `actions[${index}]`;
    if (!actionKey.test(action.key)) problems.push(`${at}.key must be 1-64 lower-case letters, digits, dashes or underscores`);
    if (seen.has(action.key)) problems.push(`${at}.key '${action.key}' is used twice`);
    seen.add(action.key);
    if (!action.label?.trim()) problems.push(`${at}.label must not be empty`);
    if (action.roles.length === 0 || action.roles.some((role) => !roles.includes(role))) problems.push(`${at}.roles must name admin, member or viewer`);
    if (!httpMethods.includes(action.target.method)) problems.push(`${at}.target.method must be one of ${httpMethods.join(', ')}`);
    if (!/^https?:\/\/[^\s]+$/i.test(action.target.url)) problems.push(`${at}.target.url must be an http(s) URL`);
    if (!(action.timeoutMs >= 100 && action.timeoutMs <= actionLimits.maxTimeoutMs)) {
      problems.push(`${at}.timeoutMs must be between 100 and ${actionLimits.maxTimeoutMs}`);
    }
    if (!(Number.isInteger(action.retries) && action.retries >= 0 && action.retries <= actionLimits.maxRetries)) {
      problems.push(`${at}.retries must be an integer from 0 to ${actionLimits.maxRetries}`);
    }
    for (const [name, pointer] of Object.entries(action.argsFrom ?? {})) {
      if (!/^\/(payload|task)(\/|$)/.test(pointer) || !jsonPointer.test(pointer)) {
        problems.push(`${at}.argsFrom.${name} must be a JSON Pointer into /payload or /task`);
      }
    }
  });
  return problems;
}

/** The due date `offset` (ISO 8601 duration) after `from`; calendar parts (Y, M, W, D) in UTC. */
export function addDuration(from: string, offset: string): string {
  const match = isoDuration.exec(offset);
  if (!match) throw new Error(`not an ISO 8601 duration: ${offset}`);
  const n = (part: string | undefined) => (part ? Number(part.slice(0, -1)) : 0);
  const date = new Date(from);
  date.setUTCFullYear(date.getUTCFullYear() + n(match[1]), date.getUTCMonth() + n(match[2]), date.getUTCDate() + 7 * n(match[3]) + n(match[4]));
  date.setUTCHours(date.getUTCHours() + n(match[6]), date.getUTCMinutes() + n(match[7]), date.getUTCSeconds() + n(match[8]));
  return date.toISOString();
}
