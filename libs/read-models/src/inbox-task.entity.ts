import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Actor, ExistingTask, Priority, TaskStatus } from '@taskinbox/domain';

/** One row per task: the shared inbox (migration 0003). Written by the projector only. */
@Entity({ name: 'inbox_tasks' })
export class InboxTask {
  @PrimaryColumn('uuid', { name: 'task_id' }) taskId!: string;
  @Column('uuid', { name: 'org_id' }) orgId!: string;
  @Column('text', { name: 'task_type' }) taskType!: string;
  @Column('text') title!: string;
  @Column('text', { nullable: true }) description!: string | null;
  @Column('text') status!: TaskStatus;
  @Column('smallint', { name: 'status_rank' }) statusRank!: number;
  @Column('text', { name: 'processed_by', nullable: true }) processedBy!: string | null;
  @Column('timestamptz', { name: 'processed_at', nullable: true }) processedAt!: Date | null;
  @Column('jsonb') source!: Actor;
  @Column('text', { nullable: true }) priority!: Priority | null;
  @Column('timestamptz', { name: 'due_at', nullable: true }) dueAt!: Date | null;
  @Column('text', { array: true }) tags!: string[];
  /** `user:<id>`, `group:<id>`, `legacy:<text>` (migration 0050). */
  @Column('text', { array: true }) assignees!: string[];
  @Column('text', { name: 'customer_ref', nullable: true }) customerRef!: string | null;
  @Column('text', { name: 'project_ref', nullable: true }) projectRef!: string | null;
  @Column('text', { name: 'milestone_ref', nullable: true }) milestoneRef!: string | null;
  @Column('integer', { name: 'type_version', nullable: true }) typeVersion!: number | null;
  @Column('boolean') private!: boolean;
  @Column('text', { name: 'external_ref', nullable: true }) externalRef!: string | null;
  @Column('text', { nullable: true }) resolution!: string | null;
  @Column('integer', { name: 'comment_count' }) commentCount!: number;
  @Column('integer', { name: 'attachment_count' }) attachmentCount!: number;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
  @Column('timestamptz', { name: 'completed_at', nullable: true }) completedAt!: Date | null;
  @Column('timestamptz', { name: 'cancelled_at', nullable: true }) cancelledAt!: Date | null;
  @Column('integer') version!: number;
  @Column('jsonb') state!: ExistingTask;
  /** Written by the urgency evaluator (migration 0077): 0 critical, 1 high, 2 normal, 3 low. */
  @Column('smallint', { name: 'urgency_rank' }) urgencyRank!: number;
  @Column('text', { name: 'urgency_level' }) urgencyLevel!: 'critical' | 'high' | 'normal' | 'low';
  @Column('text', { name: 'urgency_reason', nullable: true }) urgencyReason!: string | null;
  /** Written by the urgency evaluator (migration 0078): the ETA's P90 is after the deadline. */
  @Column('boolean', { name: 'at_risk' }) atRisk!: boolean;
}

export const statusRank: Record<TaskStatus, number> = { pending: 0, processing: 1, waiting: 2, completed: 3, cancelled: 4 };
