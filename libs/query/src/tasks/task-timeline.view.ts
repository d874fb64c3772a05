import { type Actor, allowedActions, type TaskAction } from '@taskinbox/domain';
import type { InboxTask, TimelineEntry } from '@taskinbox/read-models';
import { type TaskSummary, toTaskSummary } from '../inbox/task-summary.view';

export type TaskDetail = TaskSummary & {
  description: string | null;
  payload: Record<string, unknown>;
  /** What the caller may do next, judged by the domain on the state this view reflects. */
  allowedActions: TaskAction[];
};

export interface TimelineEntryView {
  revision: number;
  eventId: string;
  eventType: string;
  actor: Actor;
  occurredAt: string;
  /** One readable line, e.g. "Ann claimed the task". */
  summary: string;
  details: Record<string, unknown>;
}

export interface TaskTimeline {
  task: TaskDetail;
  /** Every event of the task, oldest first. */
  timeline: TimelineEntryView[];
  /** The event log position the read models stood at when the task was read (null before the projector's first batch). */
  position: string | null;
}

export function toTaskDetail(row: InboxTask, viewer: Actor, names: ReadonlyMap<string, string>): TaskDetail {
  return {
    ...toTaskSummary(row, names),
    description: row.description,
    payload: row.state.payload,
    // Every inbox row is an existing task, whether or not the stored fold kept that flag.
    allowedActions: allowedActions({ ...row.state, exists: true }, viewer),
  };
}

export function toTimelineEntryView(entry: TimelineEntry): TimelineEntryView {
  return {
    revision: entry.revision,
    eventId: entry.eventId,
    eventType: entry.eventType,
    actor: entry.actor,
    occurredAt: entry.occurredAt.toISOString(),
    summary: entry.summary,
    details: entry.details,
  };
}
