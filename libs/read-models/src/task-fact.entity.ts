import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The moments resolution stats are made of, one row per task (migration 0003). */
@Entity({ name: 'task_facts' })
export class TaskFact {
  @PrimaryColumn('uuid', { name: 'task_id' }) taskId!: string;
  @Column('uuid', { name: 'org_id' }) orgId!: string;
  @Column('text', { name: 'task_type' }) taskType!: string;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'first_claimed_at', nullable: true }) firstClaimedAt!: Date | null;
  /** First claim or comment by a person. */
  @Column('timestamptz', { name: 'first_response_at', nullable: true }) firstResponseAt!: Date | null;
  @Column('timestamptz', { name: 'resolved_at', nullable: true }) resolvedAt!: Date | null;
  @Column('text', { nullable: true }) outcome!: 'completed' | 'cancelled' | null;
  @Column('text', { nullable: true }) resolution!: string | null;
  @Column('double precision', { name: 'resolution_seconds', nullable: true }) resolutionSeconds!: number | null;
  /** Private tasks are left out of the statistics services read (migration 0020). */
  @Column('boolean') private!: boolean;
  /** Resolution time counted in the organisation's working hours (org_calendars). */
  @Column('double precision', { name: 'business_seconds', nullable: true }) businessSeconds!: number | null;
}
