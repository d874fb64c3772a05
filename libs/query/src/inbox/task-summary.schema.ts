import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import type { TaskAction } from '@taskinbox/domain';
import type { TaskDetail, TaskTimeline, TimelineEntryView as TimelineEntry } from '../tasks/task-timeline.view';
import type { InboxPage } from './inbox.service';
import type { TaskSummary } from './task-summary.view';

// The OpenAPI shapes of the read side's task views (task-summary.view.ts, task-timeline.view.ts),
// for the inbox and timeline routes' answers.

const variant = (kind: string, extra: Record<string, object> = {}) => ({
  type: 'object' as const,
  additionalProperties: false,
  required: ['kind', 'id', ...Object.keys(extra)],
  properties: { kind: { type: 'string' as const, enum: [kind] }, id: { type: 'string' as const }, ...extra },
});
/** Actor (libs/domain): who did it. */
const actor: ApiPropertyOptions = {
  oneOf: [
    variant('user', { role: { type: 'string', enum: ['admin', 'member', 'viewer'] } }),
    variant('service', { name: { type: 'string' } }),
    variant('system', { name: { type: 'string' } }),
    variant('end_user'),
  ],
};
const nullableString = { type: String, nullable: true } as const;
const nullableTime = { type: String, format: 'date-time', nullable: true } as const;

class NamedAssigneeView {
  @ApiProperty({ enum: ['user', 'group'] })
  kind!: 'user' | 'group';

  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'The current name.' })
  name!: string;
}

class UrgencyView {
  @ApiProperty({ enum: ['critical', 'high', 'normal', 'low'] })
  level!: TaskSummary['urgency']['level'];

  @ApiProperty(nullableString)
  reason!: string | null;
}

class AtRiskView {
  @ApiProperty({ example: 'Expected after the deadline' })
  reason!: string;
}

export class TaskSummaryView implements TaskSummary {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'refund.request' }) type!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: ['pending', 'processing', 'waiting', 'completed', 'cancelled'] }) status!: TaskSummary['status'];
  @ApiProperty({ ...nullableString, description: 'The user who claimed it.' }) processedBy!: string | null;
  @ApiProperty(nullableTime) processedAt!: string | null;
  @ApiProperty(actor) source!: TaskSummary['source'];
  @ApiProperty({ type: String, enum: ['low', 'normal', 'high', 'urgent'], nullable: true }) priority!: TaskSummary['priority'];
  @ApiProperty(nullableTime) dueAt!: string | null;
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty({ type: [NamedAssigneeView] }) assignees!: NamedAssigneeView[];
  @ApiProperty({ type: [String] }) legacyAssignees!: string[];
  @ApiProperty(nullableString) customerRef!: string | null;
  @ApiProperty(nullableString) projectRef!: string | null;
  @ApiProperty(nullableString) milestoneRef!: string | null;
  @ApiProperty({ type: Number, nullable: true }) typeVersion!: number | null;
  @ApiProperty() private!: boolean;
  @ApiProperty(nullableString) externalRef!: string | null;
  @ApiProperty(nullableString) resolution!: string | null;
  @ApiProperty() commentCount!: number;
  @ApiProperty() attachmentCount!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty(nullableTime) completedAt!: string | null;
  @ApiProperty(nullableTime) cancelledAt!: string | null;
  @ApiProperty({ description: 'The stream revision this view reflects.' }) version!: number;
  @ApiProperty({ type: UrgencyView }) urgency!: UrgencyView;
  @ApiProperty({ type: AtRiskView, nullable: true, description: "Set while the task's ETA (P90) is after its deadline: expected late." })
  atRisk!: AtRiskView | null;
}

export class InboxPageView implements InboxPage {
  @ApiProperty({ type: [TaskSummaryView] }) items!: TaskSummaryView[];
  @ApiProperty({ ...nullableString, description: 'Pass as `cursor` for the next page; null on the last page.' }) nextCursor!: string | null;
  @ApiProperty({
    ...nullableString,
    description:
      "The event log position the read models stood at when the page was read; null on an empty page. Compare with the live stream's `ready` event: at or past it, nothing was missed in between.",
  })
  position!: string | null;
}

class TaskDetailView extends TaskSummaryView implements TaskDetail {
  @ApiProperty(nullableString) description!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) payload!: Record<string, unknown>;
  @ApiProperty({ type: [String], description: 'What the caller may do next.' }) allowedActions!: TaskAction[];
}

class TimelineEntryView implements TimelineEntry {
  @ApiProperty() revision!: number;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ example: 'TaskClaimed' }) eventType!: string;
  @ApiProperty(actor) actor!: TimelineEntry['actor'];
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ example: 'Ann claimed the task' }) summary!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
}

export class TaskTimelineView implements TaskTimeline {
  @ApiProperty({ type: TaskDetailView }) task!: TaskDetailView;
  @ApiProperty({ type: [TimelineEntryView], description: 'Every event of the task, oldest first.' }) timeline!: TimelineEntryView[];
  @ApiProperty({
    ...nullableString,
    description:
      "The event log position the read models stood at when the task was read; null before the projector's first batch. Compare with the live stream's `ready` event: at or past it, nothing was missed in between.",
  })
  position!: string | null;
}
