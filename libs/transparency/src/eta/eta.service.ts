import type { Pool } from 'pg';
import { defaultCalendar } from '@taskinbox/read-models';
import type { WorkingHours } from '../pure/business-time';
import { defaultMinSample, type Distribution, type Eta, type EtaHook, estimate } from '../pure/eta';

/** How far back resolution times count. */
const historyDays = 180;

export interface EtaSubject {
  orgId: string;
  taskId: string;
  taskType: string;
  status: string;
  createdAt: Date;
  waitingForAnswer: boolean;
  features: Record<string, unknown>;
}

/** What hooks may look at, from a task's state in the inbox read model. */
export function etaFeatures(
  state: { payload?: unknown; priority?: unknown; customerRef?: unknown; tags?: readonly string[] },
  taskType: string,
): Record<string, unknown> {
  return { payload: state.payload, priority: state.priority, customerRef: state.customerRef, tags: state.tags ?? [], taskType };
}

interface EtaFacts {
  hours: WorkingHours;
  typeHistory: Distribution;
  orgHistory: Distribution;
  ahead: number;
  onDuty: number;
}

const noHistory: Distribution = { count: 0, p50: 0, p90: 0 };

function estimateTask(task: EtaSubject, facts: EtaFacts, hooks: EtaHook[], now: number): Eta | undefined {
  return estimate({
    now,
    ...facts,
    minSample: defaultMinSample,
    waitingForAnswer: task.waitingForAnswer,
    features: task.features,
    hooks,
  });
}

/** Who is on call now on one of an organisation's schedules (libs/oncall), when the app has on-call. */
export type OnCallNow = (orgId: string, scheduleId: string, at: Date) => Promise<string[]>;

/** Gathers what the pure estimate needs from the read models: history, calendar, queue, people. */
export class EtaService {
  constructor(
    private readonly pool: Pool,
    private readonly onCallNow?: OnCallNow,
  ) {}

  async forTask(task: EtaSubject, hooks: EtaHook[], now = Date.now()): Promise<Eta | undefined> {
    const [typeHistory, orgHistory, hours, ahead, onDuty] = await Promise.all([
      this.distribution(task.orgId, task.taskType),
      this.distribution(task.orgId, null),
      this.workingHours(task.orgId),
      task.status === 'pending' ? this.ahead(task) : Promise.resolve(0),
      this.onDuty(task.orgId),
    ]);
    return estimateTask(task, { hours, typeHistory, orgHistory, ahead, onDuty }, hooks, now);
  }

  /**
   * Estimates for many open tasks of one organisation (the urgency pass): the calendar, the
   * people on duty and the distributions are read once, the queue positions in one query.
   */
  async forOrganisation(orgId: string, hooks: EtaHook[], now = Date.now()): Promise<(task: EtaSubject) => Eta | undefined> {
    const [typeHistories, orgHistory, hours, positions, onDuty] = await Promise.all([
      this.distributionsByType(orgId),
      this.distribution(orgId, null),
      this.workingHours(orgId),
      this.pool.query<{ task_id: string; ahead: number }>(
        `SELECT task_id::text AS task_id, (row_number() OVER (ORDER BY created_at, task_id) - 1)::int AS ahead
           FROM inbox_tasks WHERE org_id = $1 AND status = 'pending'`,
        [orgId],
      ),
      this.onDuty(orgId),
    ]);
    const ahead = new Map(positions.rows.map((row) => [row.task_id, row.ahead]));
    return (task) =>
      estimateTask(
        task,
        {
          hours,
          typeHistory: typeHistories.get(task.taskType) ?? noHistory,
          orgHistory,
          ahead: task.status === 'pending' ? (ahead.get(task.taskId) ?? 0) : 0,
          onDuty,
        },
        hooks,
        now,
      );
  }

  /** Keeps the first estimate shown for a task, to track calibration; later ones do not replace it. */
  async remember(orgId: string, taskId: string, taskType: string, highAt: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO eta_promises (task_id, org_id, task_type, high_at) VALUES ($1, $2, $3, $4) ON CONFLICT (task_id) DO NOTHING`,
      [taskId, orgId, taskType, new Date(highAt)],
    );
  }

  /**
   * Calibration per task type over 180 days: of the completed tasks whose end user was shown an
   * estimate, how many were resolved by the latest time it gave.
   */
  async calibration(orgId: string, taskType: string | null): Promise<{ taskType: string; tasks: number; withinEstimate: number }[]> {
    const { rows } = await this.pool.query<{ task_type: string; tasks: number; within_estimate: number }>(
      `SELECT p.task_type, count(*)::int AS tasks, (count(*) FILTER (WHERE f.resolved_at <= p.high_at))::int AS within_estimate
         FROM eta_promises p JOIN task_facts f ON f.task_id = p.task_id AND f.org_id = p.org_id
        WHERE p.org_id = $1 AND ($2::text IS NULL OR p.task_type = $2) AND f.outcome = 'completed'
          AND f.resolved_at >= now() - make_interval(days => $3)
        GROUP BY p.task_type ORDER BY p.task_type`,
      [orgId, taskType, historyDays],
    );
    return rows.map((row) => ({ taskType: row.task_type, tasks: row.tasks, withinEstimate: row.within_estimate }));
  }

  /** P50 and P90 of working-hours resolution times of completed tasks (of one type, or all). */
  async distribution(orgId: string, taskType: string | null): Promise<Distribution> {
    const { rows } = await this.pool.query<{ count: number; p50: number | null; p90: number | null }>(
      `SELECT count(*)::int AS count,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY business_seconds) AS p50,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY business_seconds) AS p90
         FROM task_facts
        WHERE org_id = $1 AND ($2::text IS NULL OR task_type = $2) AND outcome = 'completed'
          AND business_seconds IS NOT NULL AND resolved_at >= now() - make_interval(days => $3)`,
      [orgId, taskType, historyDays],
    );
    return { count: rows[0].count, p50: rows[0].p50 ?? 0, p90: rows[0].p90 ?? 0 };
  }

  /** The same per task type, for every type of the organisation in one query. */
  private async distributionsByType(orgId: string): Promise<Map<string, Distribution>> {
    const { rows } = await this.pool.query<{ task_type: string; count: number; p50: number; p90: number }>(
      `SELECT task_type, count(*)::int AS count,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY business_seconds) AS p50,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY business_seconds) AS p90
         FROM task_facts
        WHERE org_id = $1 AND outcome = 'completed'
          AND business_seconds IS NOT NULL AND resolved_at >= now() - make_interval(days => $2)
        GROUP BY task_type`,
      [orgId, historyDays],
    );
    return new Map(rows.map((row) => [row.task_type, { count: row.count, p50: row.p50, p90: row.p90 }]));
  }

  /** The organisation's calendar, the one business-hours stats use (org_calendars). */
  private async workingHours(orgId: string): Promise<WorkingHours> {
    const { rows } = await this.pool.query<{ time_zone: string; working_days: number[]; day_start: string; day_end: string }>(
      `SELECT time_zone, working_days, to_char(day_start, 'HH24:MI') AS day_start, to_char(day_end, 'HH24:MI') AS day_end
         FROM org_calendars WHERE org_id = $1`,
      [orgId],
    );
    if (rows.length === 0) return defaultCalendar;
    const row = rows[0];
    return { timeZone: row.time_zone, workingDays: row.working_days.map(Number), dayStart: row.day_start, dayEnd: row.day_end };
  }

  /** Tasks still in the shared queue that came in before this one. */
  private async ahead(task: EtaSubject): Promise<number> {
    const { rows } = await this.pool.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM inbox_tasks
        WHERE org_id = $1 AND status = 'pending' AND (created_at, task_id) < ($2, $3)`,
      [task.orgId, task.createdAt, task.taskId],
    );
    return rows[0].count;
  }

  /**
   * People on duty: those on call now on any of the organisation's on-call schedules; without
   * schedules (or nobody on call), everyone who may work tasks (admins and members not blocked).
   */
  private async onDuty(orgId: string): Promise<number> {
    if (this.onCallNow) {
      const { rows: schedules } = await this.pool.query<{ id: string }>('SELECT id FROM oncall_schedules WHERE org_id = $1', [orgId]);
      const now = new Date();
      const people = new Set((await Promise.all(schedules.map((schedule) => this.onCallNow!(orgId, schedule.id, now)))).flat());
      if (people.size > 0) return people.size;
    }
    const { rows } = await this.pool.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM memberships WHERE org_id = $1 AND role IN ('admin', 'member') AND blocked_at IS NULL`,
      [orgId],
    );
    return rows[0].count;
  }
}
