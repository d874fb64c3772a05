import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { defaultCalendar, OrgCalendar, TaskFact } from '@taskinbox/read-models';
import { invalidParam } from '../tasks/query-param.helpers';
import type { CalendarDto } from './calendar.dto';

export interface CalendarView {
  timeZone: string;
  workingDays: number[];
  dayStart: string;
  dayEnd: string;
  /** True while the organisation has not set its own calendar. */
  isDefault: boolean;
}

export interface CalendarUpdate extends CalendarView {
  /** Resolved tasks whose business-hours duration was recomputed with the new calendar. */
  recomputedTasks: number;
}

const hoursAndMinutes = (time: string): string => time.slice(0, 5);

@Injectable()
export class CalendarService {
  constructor(private readonly dataSource: DataSource) {}

  async forOrg(orgId: string): Promise<CalendarView> {
    const row = await this.dataSource.getRepository(OrgCalendar).findOneBy({ orgId });
    if (!row) return { ...defaultCalendar, isDefault: true };
    return {
      timeZone: row.timeZone,
      workingDays: [...row.workingDays].sort((a, b) => a - b),
      dayStart: hoursAndMinutes(row.dayStart),
      dayEnd: hoursAndMinutes(row.dayEnd),
      isDefault: false,
    };
  }

  /**
   * Sets the calendar and, in the same transaction, recomputes business_seconds of every resolved
   * task of the organisation, so stats never mix two definitions of working hours.
   */
  async replace(orgId: string, input: CalendarDto): Promise<CalendarUpdate> {
    const timeZone = await this.knownTimeZone(input.timeZone);
    const calendar = {
      timeZone,
      workingDays: [...input.workingDays].sort((a, b) => a - b),
      dayStart: input.dayStart,
      dayEnd: input.dayEnd,
    };
    return this.dataSource.transaction(async (manager) => {
      // Waits for projector batches in flight and holds new ones back until commit: the projector
      // reads the calendar in the statement that writes facts, so no fact gets the old calendar
      // after this recompute. Readers are not blocked.
      await manager.query('LOCK TABLE task_facts IN SHARE ROW EXCLUSIVE MODE');
      await manager.getRepository(OrgCalendar).upsert({ orgId, ...calendar }, ['orgId']);
      const { affected } = await manager
        .createQueryBuilder()
        .update(TaskFact)
        .set({
          businessSeconds: () =>
            'business_seconds(created_at, resolved_at, :zone, :days::smallint[], :start::time, :end::time)',
        })
        .where('org_id = :orgId AND resolved_at IS NOT NULL', { orgId })
        .setParameters({ zone: timeZone, days: calendar.workingDays, start: calendar.dayStart, end: calendar.dayEnd })
        .execute();
      return { ...calendar, isDefault: false, recomputedTasks: affected ?? 0 };
    });
  }

  /** PostgreSQL does the time-zone arithmetic, so its zone list decides; its own spelling is kept. */
  private async knownTimeZone(name: string): Promise<string> {
    const rows: { name: string }[] = await this.dataSource.query(
      'SELECT name FROM pg_timezone_names WHERE lower(name) = lower($1) ORDER BY name = $1 DESC LIMIT 1',
      [name],
    );
    if (rows.length === 0)
      throw invalidParam('timeZone', `timeZone '${name}' is not a time zone PostgreSQL knows (e.g. Europe/Berlin)`);
    return rows[0].name;
  }
}
