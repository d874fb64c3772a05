// Past-tense facts about one task. Every event carries the task's org in its metadata
// (see EventMetadata in @taskinbox/event-store); data holds only what the event says.

export type TaskStatus = 'pending' | 'processing' | 'waiting' | 'completed' | 'cancelled';

/**
 * Who did something: a person signed in to an organisation, a service holding an API key, or
 * taskinbox itself acting on an organisation's rules (on-call routing and escalation), or a
 * task's end user answering a request on its status page (id: the request's; never a name).
 */
export type Actor =
  | { kind: 'user'; id: string; role: Role }
  | { kind: 'service'; id: string; name: string }
  | { kind: 'system'; id: string; name: string }
  | { kind: 'end_user'; id: string };

export type Role = 'admin' | 'member' | 'viewer';

/**
 * A suggested owner: a person or a group of the organisation. A suggestion only: the claim
 * stays the lock. Tasks created before assignment was checked may carry free strings (e-mails
 * of non-members and the like): evolve keeps those apart as `legacyAssignees`.
 */
export interface AssigneeRef {
  kind: 'user' | 'group';
  id: string;
}

export interface TaskDetails {
  title: string;
  description?: string;
  dueAt?: string;
  priority?: Priority;
  tags?: string[];
  /** New events carry refs; events written before assignment was checked carry strings. */
  assignees?: AssigneeRef[];
  customerRef?: string;
  projectRef?: string;
  milestoneRef?: string;
  private?: boolean;
}

export type Priority = 'low' | 'normal' | 'high' | 'urgent';

export interface Attachment {
  id: string;
  name: string;
  url: string;
  contentType?: string;
  sizeBytes?: number;
  /** Set when taskinbox stores the bytes (libs/attachments): their SHA-256; `url` is then the API's. */
  sha256?: string;
}

/** A custom action of the task's type (not a state change), as a person asked for it. */
export interface TaskActionRequest {
  /** Also the Standard Webhooks `webhook-id` of its call: stable across retries, so receivers can deduplicate. */
  actionId: string;
  key: string;
  label: string;
  /** The arguments sent, after argsFrom and validation against the action's argsSchema. */
  args: Record<string, unknown>;
  typeVersion: number;
}

/** How an action's call ended; `by` of its event is whoever asked for it (the worker acts for them). */
export interface TaskActionResult {
  actionId: string;
  key: string;
  /** The receiver's HTTP status; absent when none answered (refused address, timeout…). */
  statusCode?: number;
  /** Why the last attempt failed (see the webhooks sender's error classes); absent on success. */
  error?: string;
  /** The start of the response body, capped (see actionResponseExcerptBytes). */
  response: string;
  attempts: number;
}

/**
 * What a task asks of its end user (libs/transparency shows it on the status page): a small form
 * (JSON Schema of flat strings, numbers, booleans and enums) and/or a link to grant something
 * elsewhere.
 */
export interface EndUserRequest {
  requestId: string;
  prompt: string;
  form?: Record<string, unknown>;
  /** The form's properties in the order asked (the event store's JSON does not keep key order). */
  fieldOrder?: string[];
  actionUrl?: string;
}

export type TaskEvent =
  | {
      type: 'TaskCreated';
      data: TaskDetails & {
        taskId: string;
        orgId: string;
        taskType: string;
        /** The published version of the task's type its payload was checked against; absent for unregistered types. */
        typeVersion?: number;
        payload: Record<string, unknown>;
        source: Actor;
        externalRef?: string;
        idempotencyKey?: string;
        createdAt: string;
      };
    }
  | { type: 'TaskClaimed'; data: { taskId: string; by: Actor; claimedAt: string } }
  | {
      type: 'TaskReleased';
      data: { taskId: string; by: Actor; previousClaimer: string; forced: boolean; releasedAt: string };
    }
  | {
      type: 'TaskStatusChanged';
      data: { taskId: string; by: Actor; from: TaskStatus; to: TaskStatus; reason?: string; changedAt: string };
    }
  | { type: 'TaskCompleted'; data: { taskId: string; by: Actor; resolution: string; note?: string; completedAt: string } }
  | { type: 'TaskCancelled'; data: { taskId: string; by: Actor; reason?: string; cancelledAt: string } }
  | { type: 'TaskCommented'; data: { taskId: string; by: Actor; commentId: string; body: string; commentedAt: string } }
  | {
      type: 'TaskUpdated';
      data: { taskId: string; by: Actor; changes: Partial<TaskDetails>; updatedAt: string };
    }
  | { type: 'TaskAssigned'; data: { taskId: string; by: Actor; assignee: AssigneeRef; assignedAt: string } }
  | { type: 'TaskUnassigned'; data: { taskId: string; by: Actor; assignee: AssigneeRef; unassignedAt: string } }
  | { type: 'TaskAttachmentAdded'; data: { taskId: string; by: Actor; attachment: Attachment; addedAt: string } }
  | {
      type: 'TaskInfoPosted';
      data: { taskId: string; by: Actor; info: Record<string, unknown>; note?: string; postedAt: string };
    }
  | { type: 'TaskActionRequested'; data: TaskActionRequest & { taskId: string; by: Actor; requestedAt: string } }
  | { type: 'TaskActionSucceeded'; data: TaskActionResult & { taskId: string; by: Actor; succeededAt: string } }
  | { type: 'TaskActionFailed'; data: TaskActionResult & { taskId: string; by: Actor; failedAt: string } }
  /** A tombstone: the task is gone from every view and refuses every command but erasing its payload. */
  | { type: 'TaskDeleted'; data: { taskId: string; by: Actor; reason?: string; deletedAt: string } }
  /** The payload (and what carries it: posted info, action arguments) is redacted in the stored events too. */
  | { type: 'TaskPayloadErased'; data: { taskId: string; by: Actor; erasedAt: string } }
  /** The task waits on its end user from here (status waiting) until answered, resumed or ended. */
  | { type: 'TaskEndUserAsked'; data: EndUserRequest & { taskId: string; by: Actor; askedAt: string } }
  /** The end user answered (their answer is the TaskInfoPosted before this); the task is back in the queue. */
  | { type: 'TaskEndUserAnswered'; data: { taskId: string; by: Actor; requestId: string; answeredAt: string } };

export type TaskEventType = TaskEvent['type'];
