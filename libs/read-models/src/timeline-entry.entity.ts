import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Actor } from '@taskinbox/domain';

/** One readable line per event of a task (migration 0003). */
@Entity({ name: 'task_timeline' })
export class TimelineEntry {
  @PrimaryColumn('uuid', { name: 'task_id' }) taskId!: string;
  @PrimaryColumn('integer') revision!: number;
  @Column('uuid', { name: 'org_id' }) orgId!: string;
  @Column('uuid', { name: 'event_id' }) eventId!: string;
  @Column('text', { name: 'event_type' }) eventType!: string;
  @Column('jsonb') actor!: Actor;
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt!: Date;
  @Column('text') summary!: string;
  @Column('jsonb') details!: Record<string, unknown>;
}
