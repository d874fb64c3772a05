import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { JobSpec } from '@taskinbox/device-protocol';

/** One row per run of a job on a device (migration 0060). Written by the devices projection only. */
@Entity({ name: 'run_views' })
export class RunView {
  @PrimaryColumn('uuid', { name: 'run_id' }) runId!: string;
  @Column('uuid', { name: 'org_id' }) orgId!: string;
  @Column('uuid', { name: 'device_id' }) deviceId!: string;
  @Column('uuid', { name: 'job_id' }) jobId!: string;
  @Column('integer', { name: 'job_version' }) jobVersion!: number;
  @Column('text', { name: 'job_name', nullable: true }) jobName!: string | null;
  @Column('jsonb', { nullable: true }) job!: JobSpec | null;
  @Column('text', { name: 'trigger_kind' }) triggerKind!: 'now' | 'schedule';
  @Column('text', { name: 'requested_by', nullable: true }) requestedBy!: string | null;
  @Column('uuid', { name: 'batch_id', nullable: true }) batchId!: string | null;
  @Column('uuid', { name: 'schedule_id', nullable: true }) scheduleId!: string | null;
  @Column('timestamptz', { name: 'scheduled_for', nullable: true }) scheduledFor!: Date | null;
  @Column('text') status!: string;
  @Column('integer', { name: 'action_count' }) actionCount!: number;
  @Column('integer', { name: 'actions_done' }) actionsDone!: number;
  @Column('text', { nullable: true }) error!: string | null;
  @Column('text', { name: 'missed_reason', nullable: true }) missedReason!: string | null;
  @Column('uuid', { name: 'task_id', nullable: true }) taskId!: string | null;
  /** When the run was asked for: its slot, for a scheduled run. */
  @Column('timestamptz') at!: Date;
  @Column('timestamptz', { name: 'dispatched_at', nullable: true }) dispatchedAt!: Date | null;
  @Column('timestamptz', { name: 'started_at', nullable: true }) startedAt!: Date | null;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt!: Date | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
  @Column('integer') version!: number;
}

/** One row per finished action of a run, with its capped output. */
@Entity({ name: 'run_action_views' })
export class RunActionView {
  @PrimaryColumn('uuid', { name: 'run_id' }) runId!: string;
  @PrimaryColumn('integer') index!: number;
  @Column('text', { name: 'action_type' }) actionType!: string;
  @Column('boolean') ok!: boolean;
  @Column('integer', { nullable: true }) code!: number | null;
  @Column('text') output!: string;
  @Column('text') error!: string;
  @Column('boolean') truncated!: boolean;
  @Column('integer', { name: 'duration_ms' }) durationMs!: number;
  @Column('timestamptz', { name: 'finished_at' }) finishedAt!: Date;
}
