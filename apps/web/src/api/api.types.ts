// The shapes the SPA reads from the HTTP API (see /api/docs). Views the OpenAPI document names
// come from its generated types (@taskinbox/client); domain words come from the domain lib.
import type { Schema } from '@taskinbox/client';
import type { Actor, Attachment, Priority, Role, TaskAction, TaskStatus } from '@taskinbox/domain';

export type { Actor, Attachment, Priority, Role, TaskAction, TaskStatus };

export type Organisation = Schema<'OrganisationView'>;

export type LoginAnswer = Schema<'SessionView'>;

export type Member = Schema<'MemberView'>;

/** A suggested owner: a user id or e-mail as a sender wrote it, or a checked person or group (named where the API names them). */
export type Assignee = string | (Omit<Schema<'NamedAssigneeView'>, 'name'> & { name?: string });

export type TaskSummary = Schema<'TaskSummaryView'>;

export type UrgencyLevel = TaskSummary['urgency']['level'];

export type TaskDetail = Schema<'TaskDetailView'>;

export type InboxPage = Schema<'InboxPageView'>;

export type TimelineEntry = Schema<'TimelineEntryView'>;

export type TaskTimeline = Schema<'TaskTimelineView'>;

/** The public task event types (libs/messaging publicEventTypes, which the SPA cannot import): the live stream's event names. */
export const publicEventTypes = [
  'task.created',
  'task.claimed',
  'task.released',
  'task.status_changed',
  'task.completed',
  'task.cancelled',
  'task.commented',
  'task.updated',
  'task.attachment_added',
  'task.info_posted',
  'task.action_requested',
  'task.action_succeeded',
  'task.action_failed',
  'task.deleted',
  'task.payload_erased',
  'task.end_user_asked',
  'task.end_user_answered',
] as const;

/** What a webhook endpoint may subscribe to: the task events and SLO burn-rate alerts (not on the live stream's list: the SPA does not follow them). */
export const webhookEventTypes = [...publicEventTypes, 'slo.burn_rate_alerted', 'slo.burn_rate_recovered'] as const;

/** A live change from /api/stream: the event envelope (server-sent events, outside the OpenAPI document). */
export interface TaskChange {
  id: string;
  eventType: string;
  taskId: string;
  taskType: string;
  /** The event's revision in its task's stream: the task's `version` after it. */
  revision: number;
  /** Its position in the event log (compare as strings). */
  position: string;
  occurredAt: string;
  /** `user:<id>` or `service:<api key id>` */
  actor: string;
  /** Null only when the server omitted a too-large body. */
  data: Record<string, unknown> | null;
}
