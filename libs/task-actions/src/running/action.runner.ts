import type { Principal } from '@taskinbox/auth';
import type { TaskCommand } from '@taskinbox/domain';
import type { TaskCommandHandler } from '@taskinbox/ingest';
import type { TaskTypeCatalog } from '@taskinbox/task-types';
import { signatureHeader, type WebhookSender } from '@taskinbox/webhooks';
import type { ActionSecrets } from '../secrets/action-secret.store';
import type { TaskActionJobs } from './action.jobs';

/** What one attempt leaves to the queue: nothing more to do, or another attempt later. */
export type AttemptOutcome = 'done' | 'retry';

// Headers the call's signature and framing depend on: an action's own headers cannot replace them.
const reservedHeaders = new Set(['webhook-id', 'webhook-timestamp', 'webhook-signature', 'content-type', 'content-length', 'host']);

/**
 * Makes one attempt of a requested action's HTTP call and records its outcome. The call is
 * signed per Standard Webhooks with the organisation's action secret, its webhook-id the action
 * id (the same on every retry, so the receiver can deduplicate), and goes through the webhooks'
 * sender and SSRF guard. The outcome is decided on the task's fresh stream and appended at the
 * revision read: a retry after a crash, or a second worker, finds it recorded and adds nothing.
 */
export class ActionRunner {
  constructor(
    private readonly tasks: TaskCommandHandler,
    private readonly types: TaskTypeCatalog,
    private readonly secrets: ActionSecrets,
    private readonly sender: WebhookSender,
  ) {}

  /** `attempt` counts from 1. */
  async attempt(job: TaskActionJobs['run'], attempt: number): Promise<AttemptOutcome> {
    const { orgId, taskId, by, request } = job;
    // The worker acts for whoever asked: the task as they see it, the outcome recorded as theirs.
    const principal: Principal = { orgId, actor: by, scopes: [] };
    const { task } = await this.tasks.load(principal, taskId, { deleted: true });
    // A deleted task's pending actions are dropped with it.
    if (task.deleted || task.actions?.[request.actionId]?.done) return 'done';
    const version = await this.types.version(orgId, task.taskType, request.typeVersion);
    const action = version.actions.find((candidate) => candidate.key === request.key);
    const record = (outcome: 'succeeded' | 'failed', result: Omit<Extract<TaskCommand, { type: 'RecordTaskActionResult' }>['result'], 'actionId' | 'key' | 'attempts'>, info?: Record<string, unknown>) =>
      this.tasks.execute(
        principal,
        taskId,
        (_, actor, now) => ({
          type: 'RecordTaskActionResult',
          outcome,
          result: { actionId: request.actionId, key: request.key, attempts: attempt, ...result },
          ...(info ? { info } : {}),
          by: actor,
          now,
        }),
        request.actionId,
      );
    if (!action) {
      await record('failed', { error: 'action_missing', response: '' });
      return 'done';
    }

    const timestamp = Math.floor(Date.now() / 1000);
    const body =
      action.target.method === 'GET'
        ? ''
        : JSON.stringify({ type: 'task.action', timestamp: new Date(timestamp * 1000).toISOString(), data: { taskId, actionId: request.actionId, key: request.key, args: request.args } });
    const own = Object.fromEntries(Object.entries(action.target.headers ?? {}).filter(([name]) => !reservedHeaders.has(name.toLowerCase())));
    const sent = await this.sender.send({
      url: action.target.url,
      method: action.target.method,
      timeoutMs: action.timeoutMs,
      body,
      headers: {
        ...own,
        ...(body ? { 'content-type': 'application/json' } : {}),
        'webhook-id': request.actionId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signatureHeader([await this.secrets.secretOf(orgId)], request.actionId, timestamp, body),
      },
    });
    const result = { ...(sent.statusCode === undefined ? {} : { statusCode: sent.statusCode }), response: sent.responseBody };
    if (!sent.errorClass) {
      await record('succeeded', result, action.postBack ? postedBack(sent.responseBody) : undefined);
      return 'done';
    }
    // A refused address stays refused: retrying would only repeat the refusal.
    if (attempt <= action.retries && sent.errorClass !== 'address_refused') return 'retry';
    await record('failed', { ...result, error: sent.errorClass });
    return 'done';
  }
}

/** The response as info: its JSON object, or the text under `response`. */
function postedBack(body: string): Record<string, unknown> | undefined {
  if (!body.trim()) return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Not JSON: posted as text.
  }
  return { response: body };
}
