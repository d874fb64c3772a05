import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An organisation's working hours for business-hours stats (migration 0003). */
@Entity({ name: 'org_calendars' })
export class OrgCalendar {
  @PrimaryColumn('uuid', { name: 'org_id' }) orgId!: string;
  /** IANA zone, e.g. Europe/Berlin. */
  @Column('text', { name: 'time_zone' }) timeZone!: string;
  /** ISO weekdays, Monday = 1. */
  @Column('smallint', { name: 'working_days', array: true }) workingDays!: number[];
  @Column('time', { name: 'day_start' }) dayStart!: string;
  @Column('time', { name: 'day_end' }) dayEnd!: string;
}

export const defaultCalendar = { timeZone: 'UTC', workingDays: [1, 2, 3, 4, 5], dayStart: '09:00', dayEnd: '17:00' };
