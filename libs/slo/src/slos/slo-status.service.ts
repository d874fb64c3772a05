import type { Pool } from 'pg';
import { defaultCalendar } from '@taskinbox/read-models';
import { attainment, evaluateBurnRates, type SliEvent } from '../pure/slo.math';
import type { SloStatusView } from './slo.dto';
import type { StoredSlo } from './slo.service';

const day = 86_400_000;

/**
 * Each task's SLO clock: business seconds (the organisation's calendar) from creation to
 * completion, or to now while open, less the business seconds it spent waiting (on the end user
 * or anyone else) as the timeline's status changes say. `tasks` selects task_facts rows; $1 is
 * the organisation, $2 now, $3-$6 the default calendar, its own parameters follow.
 */
const clocksSql = (tasks: string): string => `
  WITH cal AS (
    SELECT coalesce(c.time_zone, $3) AS tz, coalesce(c.working_days, $4::smallint[]) AS days,
      coalesce(c.day_start, $5::time) AS ds, coalesce(c.day_end, $6::time) AS de
    FROM (SELECT $1::uuid AS org_id) o LEFT JOIN org_calendars c ON c.org_id = o.org_id
  ),
  tasks AS (SELECT task_id, task_type, created_at, resolved_at FROM task_facts WHERE org_id = $1 AND created_at <= $2 AND (${tasks})),
  changes AS (
    SELECT l.task_id, l.occurred_at, l.details->>'to' AS to_status,
      lead(l.occurred_at) OVER (PARTITION BY l.task_id ORDER BY l.revision) AS until
    FROM task_timeline l JOIN tasks USING (task_id)
    WHERE l.event_type IN ('TaskStatusChanged', 'TaskCompleted', 'TaskCancelled', 'TaskClaimed', 'TaskReleased')
  ),
  waiting AS (
    SELECT ch.task_id, sum(business_seconds(ch.occurred_at, least(coalesce(ch.until, $2), $2), cal.tz, cal.days, cal.ds, cal.de)) AS seconds
    FROM changes ch CROSS JOIN cal WHERE ch.to_status = 'waiting' AND ch.occurred_at < $2 GROUP BY ch.task_id
  )
  SELECT t.task_id::text AS task_id, t.task_type, t.resolved_at,
    business_seconds(t.created_at, coalesce(t.resolved_at, $2), cal.tz, cal.days, cal.ds, cal.de) - coalesce(w.seconds, 0) AS clock_seconds
  FROM tasks t CROSS JOIN cal LEFT JOIN waiting w USING (task_id)`;

const completedOrOpenSql = clocksSql(
  `task_type = $7 AND ((outcome = 'completed' AND resolved_at > $8 AND resolved_at <= $2) OR resolved_at IS NULL)`,
);
const openWithSloSql = clocksSql(
  `resolved_at IS NULL AND ($7::uuid[] IS NULL OR task_id = ANY($7::uuid[])) AND task_type IN (SELECT task_type FROM slos WHERE org_id = $1)`,
);

interface ClockRow {
  task_id: string;
  task_type: string;
  resolved_at: Date | null;
  clock_seconds: number;
}

export class SloStatusService {
  constructor(
    private readonly pool: Pool,
    private readonly clock: () => Date,
  ) {}

  now(): Date {
    return this.clock();
  }

  async status(slo: StoredSlo, now = this.clock()): Promise<SloStatusView> {
    const windowStart = new Date(now.getTime() - slo.windowDays * day);
    const rows = await this.clocks(completedOrOpenSql, slo.orgId, now, [slo.taskType, windowStart]);
    const limit = slo.withinBusinessHours * 3600;
    const completed: SliEvent[] = [];
    const breachedOpen: SliEvent[] = [];
    for (const row of rows) {
      if (row.resolved_at) completed.push({ at: row.resolved_at.getTime(), good: row.clock_seconds <= limit });
      // An open task counts only once it is late: before that it may still be good.
      else if (row.clock_seconds > limit) breachedOpen.push({ at: now.getTime(), good: false });
    }
    const result = attainment([...completed, ...breachedOpen], slo.target);
    // Burn rates follow completions only: an old open task would otherwise count as "bad now" in every short window at once.
    const burnRates = evaluateBurnRates(completed, slo.target, now.getTime());
    return {
      sloId: slo.id,
      name: slo.name,
      taskType: slo.taskType,
      targetPercent: Math.round(slo.target * 100000) / 1000,
      windowStart: windowStart.toISOString(),
      windowEnd: now.toISOString(),
      total: result.total,
      good: result.good,
      bad: result.bad,
      attainment: result.attainment,
      errorBudget: result.errorBudget,
      burnRates,
    };
  }

  /**
   * Business seconds left on the strictest SLO of each open task's type (negative once missed),
   * for the organisation's open tasks (or those of `taskIds`) whose type has an SLO.
   */
  async secondsLeft(orgId: string, now: Date, taskIds?: readonly string[]): Promise<Map<string, number>> {
    const [rows, slos] = await Promise.all([
      this.clocks(openWithSloSql, orgId, now, [taskIds ?? null]),
      this.pool.query<{ task_type: string; seconds: number }>(
        `SELECT task_type, min(within_business_hours) * 3600 AS seconds FROM slos WHERE org_id = $1 GROUP BY task_type`,
        [orgId],
      ),
    ]);
    const limits = new Map(slos.rows.map((row) => [row.task_type, row.seconds]));
    return new Map(rows.map((row) => [row.task_id, (limits.get(row.task_type) ?? 0) - row.clock_seconds]));
  }

  private async clocks(sql: string, orgId: string, now: Date, extra: unknown[]): Promise<ClockRow[]> {
    const { timeZone, workingDays, dayStart, dayEnd } = defaultCalendar;
    const { rows } = await this.pool.query<ClockRow>(sql, [
      orgId,
      now,
      timeZone,
      workingDays,
      dayStart,
      dayEnd,
      ...extra,
    ]);
    return rows;
  }
}
