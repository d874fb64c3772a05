// A job is the seed's Task: a description and ordered actions. What an agent runs is exactly
// one JobSpec, sent by the server; these limits are checked by the server's DTOs and again by
// the agent before it runs anything.

export const actionTypes = ['HTTP_REQUEST', 'SCRIPT', 'COMMAND', 'READ_FILE'] as const;
export type ActionType = (typeof actionTypes)[number];
export const httpMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
export type HttpMethod = (typeof httpMethods)[number];

export interface KeyValuePair {
  key: string;
  value: string;
}

interface ActionBase {
  /** Seconds before the action's process group gets SIGTERM, then SIGKILL (HTTP: the request is aborted). */
  timeoutSeconds: number;
}

export interface HttpAction extends ActionBase {
  type: 'HTTP_REQUEST';
  method: HttpMethod;
  url: string;
  /** `Name: value`, as the seed has them. */
  headers?: string[];
  /** Sent as application/x-www-form-urlencoded when there is no body. */
  form?: KeyValuePair[];
  body?: string;
}

export interface ScriptAction extends ActionBase {
  type: 'SCRIPT';
  /** Absolute path of the interpreter; the script is its only argument (a private temporary file). */
  interpreter: string;
  content: string;
}

export interface CommandAction extends ActionBase {
  type: 'COMMAND';
  /** Run without a shell: an absolute path, or a name looked up in the run's PATH. */
  command: string;
  arguments?: string[];
  environment?: KeyValuePair[];
}

export interface ReadFileAction extends ActionBase {
  type: 'READ_FILE';
  /** Absolute path, read as the run's user. */
  path: string;
  /** The first this many bytes are returned; more sets `truncated`. */
  maxBytes: number;
}

export type JobAction = HttpAction | ScriptAction | CommandAction | ReadFileAction;

export type OnFailure = 'stop' | 'continue';

/** One version of a job, as a run carries it. */
export interface JobSpec {
  jobId: string;
  version: number;
  name: string;
  description?: string;
  actions: JobAction[];
  /** stop: a failed action ends the run; continue: the next action runs anyway. */
  onFailure: OnFailure;
  /** The Linux user the actions run as; null: the agent's configured default (never root unless allowed). */
  runAs: string | null;
  /** Cap of each action's output and of its error text: head and tail are kept, the middle dropped. */
  outputMaxBytes: number;
}

export const jobLimits = {
  maxActions: 20,
  maxTimeoutSeconds: 24 * 3600,
  defaultTimeoutSeconds: 60,
  maxScriptBytes: 64 * 1024,
  maxBodyBytes: 64 * 1024,
  maxArguments: 100,
  maxPairs: 100,
  maxReadBytes: 64 * 1024,
  defaultOutputMaxBytes: 16 * 1024,
  /** Below the HTTP input check's longest string, so a full report always passes it. */
  maxOutputMaxBytes: 64 * 1024,
} as const;

/** A Linux user name as useradd accepts it by default. */
export const linuxUserPattern = /^[a-z_][a-z0-9_-]{0,31}$/;

/** A short line describing an action, for run history. */
export function describeAction(action: JobAction): string {
  switch (action.type) {
    case 'HTTP_REQUEST':
      return `${action.method} ${action.url}`;
    case 'SCRIPT':
      return `script (${action.interpreter}, ${action.content.split('\n').length} lines)`;
    case 'COMMAND':
      return [action.command, ...(action.arguments ?? [])].join(' ');
    case 'READ_FILE':
      return `read ${action.path}`;
  }
}
