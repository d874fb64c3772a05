import {
  assigneeKeys,
  type Actor,
  type ExistingTask,
  type Task,
  type TaskEvent,
  type TaskEventType,
  evolve,
  initialState,
} from '@taskinbox/domain';
import type { LoggedEvent } from '@taskinbox/event-store';
import { statusRank } from '@taskinbox/read-models';
import { describeEvent } from './timeline.summary';

// The pure half of the projection: a batch of events plus the stored state of the tasks they
// touch, folded into the rows to write. Keys are the tables' column names (migration 0003);
// the SQL column types live next to each row type so the writer can build its statements.

/** What a task's inbox row holds that folding on needs. */
export interface StoredTask {
  state: ExistingTask;
  commentCount: number;
  attachmentCount: number;
}

export interface InboxRow {
  task_id: string;
  org_id: string;
  task_type: string;
  title: string;
  description: string | null;
  status: string;
  status_rank: number;
  processed_by: string | null;
  processed_at: string | null;
  source: Actor;
  priority: string | null;
  due_at: string | null;
  tags: string[];
  assignees: string[];
  customer_ref: string | null;
  project_ref: string | null;
  milestone_ref: string | null;
  type_version: number | null;
  private: boolean;
  external_ref: string | null;
  resolution: string | null;
  comment_count: number;
  attachment_count: number;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  cancelled_at: string | null;
  version: number;
  state: ExistingTask;
}

export const inboxColumns: Record<keyof InboxRow, string> = {
  task_id: 'uuid',
  org_id: 'uuid',
  task_type: 'text',
  title: 'text',
  description: 'text',
  status: 'text',
  status_rank: 'smallint',
  processed_by: 'text',
  processed_at: 'timestamptz',
  source: 'jsonb',
  priority: 'text',
  due_at: 'timestamptz',
  tags: 'text[]',
  assignees: 'text[]',
  customer_ref: 'text',
  project_ref: 'text',
  milestone_ref: 'text',
  type_version: 'integer',
  private: 'boolean',
  external_ref: 'text',
  resolution: 'text',
  comment_count: 'integer',
  attachment_count: 'integer',
  created_at: 'timestamptz',
  updated_at: 'timestamptz',
  completed_at: 'timestamptz',
  cancelled_at: 'timestamptz',
  version: 'integer',
  state: 'jsonb',
};

export interface TimelineRow {
  task_id: string;
  revision: number;
  org_id: string;
  event_id: string;
  event_type: string;
  actor: Actor;
  occurred_at: string;
  summary: string;
  details: Record<string, unknown>;
}

export const timelineColumns: Record<keyof TimelineRow, string> = {
  task_id: 'uuid',
  revision: 'integer',
  org_id: 'uuid',
  event_id: 'uuid',
  event_type: 'text',
  actor: 'jsonb',
  occurred_at: 'timestamptz',
  summary: 'text',
  details: 'jsonb',
};

/**
 * A task's facts as far as this batch knows them. The first-* moments are only those seen in
 * this batch: the upsert keeps a stored earlier one. The durations are computed in SQL.
 */
export interface FactRow {
  task_id: string;
  org_id: string;
  task_type: string;
  created_at: string;
  first_claimed_at: string | null;
  first_response_at: string | null;
  resolved_at: string | null;
  outcome: 'completed' | 'cancelled' | null;
  resolution: string | null;
  /** Statistics a service reads leave private tasks out. */
  private: boolean;
}

export const factColumns: Record<keyof FactRow, string> = {
  task_id: 'uuid',
  org_id: 'uuid',
  task_type: 'text',
  created_at: 'timestamptz',
  first_claimed_at: 'timestamptz',
  first_response_at: 'timestamptz',
  resolved_at: 'timestamptz',
  outcome: 'text',
  resolution: 'text',
  private: 'boolean',
};

export interface ProjectedRows {
  inbox: InboxRow[];
  timeline: TimelineRow[];
  facts: FactRow[];
  /** Tasks deleted (TaskDeleted): all their rows go, once the batch's rows are written. */
  deleted?: string[];
  /** Tasks whose payload was erased (TaskPayloadErased): their timeline details lose what carried it. */
  erased?: string[];
}

const taskStream = /^task-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/** The task id of a `task-<uuid>` stream; undefined for every other stream (they are not projected). */
export function taskIdOf(streamId: string): string | undefined {
  return taskStream.exec(streamId)?.[1].toLowerCase();
}

// A Record so that a new event type fails to compile until the projection knows it.
const knownTypes: Record<TaskEventType, true> = {
  TaskCreated: true,
  TaskClaimed: true,
  TaskReleased: true,
  TaskStatusChanged: true,
  TaskCompleted: true,
  TaskCancelled: true,
  TaskCommented: true,
  TaskUpdated: true,
  TaskAssigned: true,
  TaskUnassigned: true,
  TaskAttachmentAdded: true,
  TaskInfoPosted: true,
  TaskActionRequested: true,
  TaskActionSucceeded: true,
  TaskActionFailed: true,
  TaskDeleted: true,
  TaskPayloadErased: true,
  TaskEndUserAsked: true,
  TaskEndUserAnswered: true,
};

const isTaskEventType = (type: string): type is TaskEventType => Object.hasOwn(knownTypes, type);

interface Folding {
  task: Task;
  commentCount: number;
  attachmentCount: number;
  version: number;
  firstClaimedAt?: string;
  firstResponseAt?: string;
  /** Whether this batch has anything for the task's facts (most events do not). */
  factsChanged: boolean;
}

/** Folds `events` (in log order) onto the stored tasks and returns every row they change. */
export function foldBatch(events: readonly LoggedEvent[], stored: ReadonlyMap<string, StoredTask>): ProjectedRows {
  const folds = new TaskFolds((taskId) => stored.get(taskId));
  const timeline: TimelineRow[] = [];
  for (const recorded of events) {
    const row = folds.apply(recorded);
    if (row) timeline.push(row);
  }
  return { ...folds.take(), timeline };
}

/**
 * Folds events, in log order, onto the tasks they belong to, and remembers every task it
 * touched until take(): a live batch uses one per batch, a rebuild one for a whole log.
 * `stored` gives the state of a task it has not touched yet (undefined: not created yet).
 */
export class TaskFolds {
  private readonly tasks = new Map<string, Folding>();
  private readonly erased = new Set<string>();

  constructor(private readonly stored: (taskId: string) => StoredTask | undefined) {}

  /** Tasks touched since the last take(). */
  get size(): number {
    return this.tasks.size;
  }

  has(taskId: string): boolean {
    return this.tasks.has(taskId);
  }

  /** Folds one event; its timeline row, if it has one (not for other streams or unknown types). */
  apply(recorded: LoggedEvent): TimelineRow | undefined {
    const taskId = taskIdOf(recorded.streamId);
    if (taskId === undefined) return undefined;
    let folding = this.tasks.get(taskId);
    if (!folding) {
      const known = this.stored(taskId);
      folding = known
        ? {
            task: known.state,
            commentCount: known.commentCount,
            attachmentCount: known.attachmentCount,
            version: 0,
            factsChanged: false,
          }
        : { task: initialState(), commentCount: 0, attachmentCount: 0, version: 0, factsChanged: false };
      this.tasks.set(taskId, folding);
    }
    folding.version = Number(recorded.revision);
    // A type this build does not know comes from a newer writer: the row still reaches its
    // revision (read-your-writes waits on it); a rebuild after upgrading shows the event.
    if (!isTaskEventType(recorded.type)) return undefined;
    const event = { type: recorded.type, data: recorded.data } as TaskEvent;
    folding.task = evolve(folding.task, event);
    if (!folding.task.exists || folding.task.deleted) return undefined;
    if (event.type === 'TaskPayloadErased') this.erased.add(taskId);
    track(folding, event);
    const { actor, occurredAt, summary, details } = describeEvent(event);
    return {
      task_id: taskId,
      revision: folding.version,
      org_id: folding.task.orgId,
      event_id: recorded.id,
      event_type: recorded.type,
      actor,
      occurred_at: occurredAt,
      summary,
      details,
    };
  }

  /** The inbox rows of the tasks touched, and the facts rows of those whose facts changed; forgets them all. */
  take(): Omit<ProjectedRows, 'timeline'> {
    const inbox: InboxRow[] = [];
    const facts: FactRow[] = [];
    const deleted: string[] = [];
    for (const [taskId, folding] of this.tasks) {
      if (!folding.task.exists) continue;
      if (folding.task.deleted) {
        deleted.push(taskId);
        continue;
      }
      inbox.push(inboxRow(taskId, folding.task, folding));
      if (folding.factsChanged) facts.push(factRow(taskId, folding.task, folding));
    }
    const erased = [...this.erased];
    this.tasks.clear();
    this.erased.clear();
    return { inbox, facts, ...(deleted.length > 0 ? { deleted } : {}), ...(erased.length > 0 ? { erased } : {}) };
  }
}

function track(folding: Folding, event: TaskEvent): void {
  switch (event.type) {
    case 'TaskCreated':
    case 'TaskCompleted':
    case 'TaskCancelled':
      folding.factsChanged = true;
      break;
    case 'TaskClaimed':
      folding.firstClaimedAt ??= event.data.claimedAt;
      folding.firstResponseAt ??= event.data.claimedAt;
      folding.factsChanged = true;
      break;
    case 'TaskCommented':
      folding.commentCount++;
      if (event.data.by.kind === 'user') {
        folding.firstResponseAt ??= event.data.commentedAt;
        folding.factsChanged = true;
      }
      break;
    case 'TaskAttachmentAdded':
      folding.attachmentCount++;
      break;
    case 'TaskUpdated':
      if ('private' in event.data.changes) folding.factsChanged = true;
      break;
  }
}

function inboxRow(taskId: string, task: ExistingTask, folding: Folding): InboxRow {
  return {
    task_id: taskId,
    org_id: task.orgId,
    task_type: task.taskType,
    title: task.title,
    description: task.description ?? null,
    status: task.status,
    status_rank: statusRank[task.status],
    processed_by: task.processedBy ?? null,
    processed_at: task.processedAt ?? null,
    source: task.source,
    priority: task.priority ?? null,
    due_at: timestampOrNull(task.dueAt),
    tags: task.tags ?? [],
    assignees: assigneeKeys(task),
    customer_ref: task.customerRef ?? null,
    project_ref: task.projectRef ?? null,
    milestone_ref: task.milestoneRef ?? null,
    type_version: task.typeVersion ?? null,
    private: task.private ?? false,
    external_ref: task.externalRef ?? null,
    resolution: task.resolution ?? null,
    comment_count: folding.commentCount,
    attachment_count: folding.attachmentCount,
    created_at: task.createdAt,
    updated_at: task.updatedAt,
    completed_at: task.completedAt ?? null,
    cancelled_at: task.cancelledAt ?? null,
    version: folding.version,
    state: task,
  };
}

function factRow(taskId: string, task: ExistingTask, folding: Folding): FactRow {
  const outcome = task.status === 'completed' || task.status === 'cancelled' ? task.status : null;
  return {
    task_id: taskId,
    org_id: task.orgId,
    task_type: task.taskType,
    created_at: task.createdAt,
    first_claimed_at: folding.firstClaimedAt ?? null,
    first_response_at: folding.firstResponseAt ?? null,
    resolved_at: outcome === 'completed' ? task.completedAt! : outcome === 'cancelled' ? task.cancelledAt! : null,
    outcome,
    resolution: outcome === 'completed' ? (task.resolution ?? null) : null,
    private: task.private ?? false,
  };
}

// dueAt is caller input (ISO 8601, validated loosely): read it as JavaScript does, so a date
// without a zone is UTC whatever the session's TimeZone, and one PostgreSQL cannot read
// (e.g. a week date) becomes null instead of failing the batch forever.
const oldestTimestamp = Date.UTC(-4712, 0, 1);

function timestampOrNull(value: string | undefined): string | null {
  const time = value === undefined ? NaN : Date.parse(value);
  return Number.isFinite(time) && time >= oldestTimestamp ? new Date(time).toISOString() : null;
}
