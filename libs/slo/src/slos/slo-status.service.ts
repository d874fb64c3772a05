import type { Pool } from 'pg';
import { defaultCalendar } from '@taskinbox/read-models';
import { attainment, evaluateBurnRates, type SliEvent } from '../pure/slo.math';
import type { SloStatusView } from './slo.dto';
import type { StoredSlo } from './slo.service';

const day = 86_400_000;

/**
 * Each task's SLO clock: business seconds (the organisation's calendar) from creation to
 * completion, or to now while open, less the business seconds it spent waiting (on the end user
 * or anyone else) as the timeline's status changes say.
 */
const clocksSql = `
  WITH cal AS (
    SELECT coalesce(c.time_zone, $5) AS tz, coalesce(c.working_days, $6::smallint[]) AS days,
      coalesce(c.day_start, $7::time) AS ds, coalesce(c.day_end, $8::time) AS de
    FROM (SELECT $1::uuid AS org_id) o LEFT JOIN org_calendars c ON c.org_id = o.org_id
  ),
  tasks AS (
    SELECT task_id, created_at, resolved_at FROM task_facts
    WHERE org_id = $1 AND task_type = $2
      AND ((outcome = 'completed' AND resolved_at > $3 AND resolved_at <= $4) OR (resolved_at IS NULL AND created_at <= $4))
  ),
  changes AS (
    SELECT l.task_id, l.occurred_at, l.details->>'to' AS to_status,
      lead(l.occurred_at) OVER (PARTITION BY l.task_id ORDER BY l.revision) AS until
    FROM task_timeline l JOIN tasks USING (task_id)
    WHERE l.event_type IN ('TaskStatusChanged', 'TaskCompleted', 'TaskCancelled', 'TaskClaimed', 'TaskReleased')
  ),
  waiting AS (
    SELECT ch.task_id, sum(business_seconds(ch.occurred_at, least(coalesce(ch.until, $4), $4), cal.tz, cal.days, cal.ds, cal.de)) AS seconds
    FROM changes ch CROSS JOIN cal WHERE ch.to_status = 'waiting' AND ch.occurred_at < $4 GROUP BY ch.task_id
  )
  SELECT t.resolved_at,
    business_seconds(t.created_at, coalesce(t.resolved_at, $4), cal.tz, cal.days, cal.ds, cal.de) - coalesce(w.seconds, 0) AS clock_seconds
  FROM tasks t CROSS JOIN cal LEFT JOIN waiting w USING (task_id)`;

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
    const { timeZone, workingDays, dayStart, dayEnd } = defaultCalendar;
    const { rows } = await this.pool.query<{ resolved_at: Date | null; clock_seconds: number }>(clocksSql, [
      slo.orgId,
      slo.taskType,
      windowStart,
      now,
      timeZone,
      workingDays,
      dayStart,
      dayEnd,
    ]);
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
}
