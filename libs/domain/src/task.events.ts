// Past-tense facts about one task. Every event carries the task's org in its metadata
// (see EventMetadata in @taskinbox/event-store); data holds only what the event says.

export type TaskStatus = 'pending' | 'processing' | 'waiting' | 'completed' | 'cancelled';

/** Who did something: a person signed in to an organisation, or a service holding an API key. */
export type Actor =
  | { kind: 'user'; id: string; role: Role }
  | { kind: 'service'; id: string; name: string };

export type Role = 'admin' | 'member' | 'viewer';

export interface TaskDetails {
  title: string;
  description?: string;
  dueAt?: string;
  priority?: Priority;
  tags?: string[];
  assignees?: string[];
  customerRef?: string;
  projectRef?: string;
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

export type TaskEvent =
  | {
      type: 'TaskCreated';
      data: TaskDetails & {
        taskId: string;
        orgId: string;
        taskType: string;
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
  | { type: 'TaskAttachmentAdded'; data: { taskId: string; by: Actor; attachment: Attachment; addedAt: string } }
  | {
      type: 'TaskInfoPosted';
      data: { taskId: string; by: Actor; info: Record<string, unknown>; note?: string; postedAt: string };
    };

export type TaskEventType = TaskEvent['type'];
