// What a published version of a task type says. Versions are immutable: a task records the
// version it was created with and stays valid under it whatever later versions say.

export type DisplayFormat = 'text' | 'money' | 'date' | 'link' | 'image' | 'list';
export const displayFormats: readonly DisplayFormat[] = ['text', 'money', 'date', 'link', 'image', 'list'];

export type TaskPriority = 'low' | 'normal' | 'high' | 'urgent';
export const taskPriorities: readonly TaskPriority[] = ['low', 'normal', 'high', 'urgent'];

export type ActorRole = 'admin' | 'member' | 'viewer';

/** One line of a task's display: the payload field (a JSON Pointer), its label and how to show it. */
export interface LayoutField {
  field: string;
  label: string;
  format: DisplayFormat;
}

export interface TaskTypeDefaults {
  priority?: TaskPriority;
  tags?: string[];
  /** ISO 8601 duration from creation to the due date, e.g. P2D or PT4H. */
  dueOffset?: string;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export const httpMethods: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** An action that is not a state change: an HTTP call, signed per Standard Webhooks, made by a worker. */
export interface TaskTypeAction {
  key: string;
  label: string;
  /** Who may run it; services never do. */
  roles: ActorRole[];
  /** A question the SPA asks before running it; none: runs at once. */
  confirm?: string;
  /** JSON Schema (2020-12) of the arguments a person gives. */
  argsSchema?: Record<string, unknown>;
  /** Arguments taken from the task: name → JSON Pointer into `{ payload, task }` (e.g. /payload/orderId, /task/title). */
  argsFrom?: Record<string, string>;
  target: { method: HttpMethod; url: string; headers?: Record<string, string> };
  timeoutMs: number;
  retries: number;
  /** Post the response body back on the task as info. */
  postBack?: boolean;
}

export interface TaskTypeDefinition {
  name: string;
  /** JSON Schema 2020-12 of the payload. */
  schema: Record<string, unknown>;
  /** The form's UI schema (react-jsonschema-form), kept apart from the JSON Schema. */
  uiSchema: Record<string, unknown>;
  layout: LayoutField[];
  /** Payload fields (JSON Pointers) an end user may see, e.g. on a public status page. */
  publicFields: string[];
  defaults: TaskTypeDefaults;
  actions: TaskTypeAction[];
}

export interface TaskTypeVersion extends TaskTypeDefinition {
  key: string;
  version: number;
}

export const actionLimits = { maxActions: 20, maxTimeoutMs: 30_000, maxRetries: 10 } as const;
