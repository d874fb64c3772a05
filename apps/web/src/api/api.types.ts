// The shapes the SPA reads from the HTTP API (see /api/docs). Domain words come from the domain lib.
import type { Actor, Attachment, Priority, Role, TaskAction, TaskStatus } from '@taskinbox/domain';

export type { Actor, Attachment, Priority, Role, TaskAction, TaskStatus };

export interface Organisation {
  id: string;
  slug: string;
  name: string;
  role: Role;
}

export interface LoginAnswer {
  accessToken?: string;
  expiresIn?: number;
  organisation?: Organisation;
  organisations: Organisation[];
}

export interface Member {
  id: string;
  email: string;
  name: string;
  role: Role;
  blocked: boolean;
}

/** GET /api/auth/me for a person: their role now and their session. */
export interface Me {
  orgId: string;
  actor: { kind: 'user'; id: string; role: Role };
  session: { id: string; expiresAt: string; mustChangePassword: boolean };
}

/** A suggested owner: a user id or e-mail as a sender wrote it, or a checked person or group. */
export type Assignee = string | { kind: 'user' | 'group'; id: string; name?: string };

export interface TaskSummary {
  id: string;
  type: string;
  title: string;
  status: TaskStatus;
  processedBy: string | null;
  processedAt: string | null;
  source: Actor;
  priority: Priority | null;
  dueAt: string | null;
  tags: string[];
  assignees: Assignee[];
  customerRef: string | null;
  projectRef: string | null;
  milestoneRef: string | null;
  /** The type version the payload was checked against; null or absent for unregistered types. */
  typeVersion?: number | null;
  private: boolean;
  externalRef: string | null;
  resolution: string | null;
  commentCount: number;
  attachmentCount: number;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
  cancelledAt: string | null;
  version: number;
}

export interface TaskDetail extends TaskSummary {
  description: string | null;
  payload: Record<string, unknown>;
  allowedActions: TaskAction[];
}

export interface InboxPage {
  items: TaskSummary[];
  nextCursor: string | null;
}

export interface TimelineEntry {
  revision: number;
  eventId: string;
  eventType: string;
  actor: Actor;
  occurredAt: string;
  summary: string;
  details: Record<string, unknown>;
}

export interface TaskTimeline {
  task: TaskDetail;
  timeline: TimelineEntry[];
}

/** The public event types (libs/messaging publicEventTypes, which the SPA cannot import): SSE event names, webhook filters. */
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
  'task.end_user_asked',
  'task.end_user_answered',
] as const;

/** A live change from /api/stream: the event envelope. */
export interface TaskChange {
  id: string;
  eventType: string;
  taskId: string;
  taskType: string;
  /** The event's revision in its task's stream: the task's `version` after it. */
  revision: number;
  occurredAt: string;
  /** `user:<id>` or `service:<api key id>` */
  actor: string;
  /** Null only when the server omitted a too-large body. */
  data: Record<string, unknown> | null;
}

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: { code?: string; status?: string } & Record<string, unknown>;
  correlationId?: string;
}
