import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { defaultCalendar, OrgCalendar } from '@taskinbox/read-models';
import { StatsRecomputeWorker } from '../stats/stats-recompute.worker';
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
  /** Resolved tasks whose business-hours duration is being recomputed, in the background, with the new calendar. */
  recomputedTasks: number;
}

const hoursAndMinutes = (time: string): string => time.slice(0, 5);

@Injectable()
export class CalendarService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly recompute: StatsRecomputeWorker,
  ) {}

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
   * Sets the calendar and, in the same transaction, queues the recompute of the business-hours
   * duration of every resolved task of the organisation, which runs in the background
   * (StatsRecomputeWorker; progress at GET /api/stats/recompute). Until it is done, stats are read
   * from the facts, which the recompute changes chunk by chunk.
   */
  async replace(orgId: string, input: CalendarDto): Promise<CalendarUpdate> {
    const timeZone = await this.knownTimeZone(input.timeZone);
    const calendar = {
      timeZone,
      workingDays: [...input.workingDays].sort((a, b) => a - b),
      dayStart: input.dayStart,
      dayEnd: input.dayEnd,
    };
    const recomputedTasks = await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(OrgCalendar).upsert({ orgId, ...calendar }, ['orgId']);
      return this.recompute.queue(manager, orgId);
    });
    this.recompute.kick();
    return { ...calendar, isDefault: false, recomputedTasks };
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
