import type { Pool } from 'pg';
import type { Principal } from '@taskinbox/auth';
import { type ExistingTask, isVisibleTo, TaskNotFound } from '@taskinbox/domain';
import { RejectedCommand } from '@taskinbox/http';
import type { TaskTypeCatalog, TaskTypeVersion } from '@taskinbox/task-types';
import { type EtaService, etaFeatures } from '../eta/eta.service';
import { formFields } from '../pure/end-user-form';
import { publicFields, publicStatus, publicTimeline, statusWords } from '../pure/public-status';
import type { TransparencySettingsService } from '../settings/transparency-settings.service';
import { transparencyErrors } from '../transparency.errors';
import type { PublicStatsView, TaskStatusView } from './task-status.view';

interface TaskRow {
  status: string;
  task_type: string;
  type_version: number | null;
  state: ExistingTask;
  created_at: Date;
  ended_at: Date | null;
}

const dayMs = 86_400_000;

/** Builds what an end user sees of one task, from the read models. */
export class TaskStatusService {
  constructor(
    private readonly pool: Pool,
    private readonly types: TaskTypeCatalog,
    private readonly settings: TransparencySettingsService,
    private readonly eta: EtaService,
  ) {}

  /** For the sender, signed in: the same view, for a task they may see. */
  async forPrincipal(principal: Principal, taskId: string): Promise<TaskStatusView> {
    const row = await this.row(principal.orgId, taskId);
    if (!row || !isVisibleTo(row.state, principal.actor)) throw new RejectedCommand(new TaskNotFound());
    return this.view(principal.orgId, taskId, row);
  }

  /** For the holder of a link (already checked), with the request the task waits on for the page's form. */
  async forLink(orgId: string, taskId: string): Promise<{ view: TaskStatusView; requestId?: string }> {
    const row = await this.row(orgId, taskId);
    if (!row) throw transparencyErrors.statusLinkNotFound();
    return { view: await this.view(orgId, taskId, row), requestId: row.state.awaiting?.requestId };
  }

  private async row(orgId: string, taskId: string): Promise<TaskRow | undefined> {
    const { rows } = await this.pool.query<TaskRow>(
      `SELECT status, task_type, type_version, state, created_at, coalesce(completed_at, cancelled_at) AS ended_at
         FROM inbox_tasks WHERE org_id = $1 AND task_id = $2`,
      [orgId, taskId],
    );
    return rows[0];
  }

  private async view(orgId: string, taskId: string, row: TaskRow): Promise<TaskStatusView> {
    const [settings, type, history] = await Promise.all([
      this.settings.get(orgId),
      this.typeOf(orgId, row),
      this.pool.query<{ event_type: string; occurred_at: Date; actor_kind: string }>(
        `SELECT event_type, occurred_at, actor ->> 'kind' AS actor_kind FROM task_timeline
          WHERE org_id = $1 AND task_id = $2 ORDER BY revision`,
        [orgId, taskId],
      ),
    ]);
    const { awaiting } = row.state;
    const status = publicStatus(row.status, awaiting !== undefined);
    const open = row.ended_at === null;
    const { state } = row;
    const eta = open
      ? await this.eta.forTask(
          {
            orgId,
            taskId,
            taskType: row.task_type,
            status: row.status,
            createdAt: row.created_at,
            waitingForAnswer: awaiting !== undefined,
            features: etaFeatures(state, row.task_type),
          },
          settings.etaHooks,
        )
      : undefined;
    if (eta) await this.eta.remember(orgId, taskId, row.task_type, eta.high);
    return {
      status,
      statusLabel: statusWords[status],
      typeName: type?.name ?? null,
      fields: type ? publicFields(state.payload ?? {}, type.publicFields, type.layout) : [],
      timeline: publicTimeline(
        history.rows.map((entry) => ({ eventType: entry.event_type, at: entry.occurred_at.toISOString(), actorKind: entry.actor_kind })),
      ),
      eta: eta ? { from: new Date(eta.low).toISOString(), to: new Date(eta.high).toISOString(), explanation: eta.explanation } : null,
      stats: settings.publicStats ? await this.stats(orgId, row.task_type) : null,
      endUserRequest: awaiting
        ? { prompt: awaiting.prompt, fields: awaiting.form ? formFields(awaiting.form, awaiting.fieldOrder) : [], actionUrl: awaiting.actionUrl ?? null }
        : null,
      linkExpiresAt: row.ended_at ? new Date(row.ended_at.getTime() + settings.linkTtlDays * dayMs).toISOString() : null,
    };
  }

  /** The version of its type the task was checked against; none for unregistered types. */
  private async typeOf(orgId: string, row: TaskRow): Promise<TaskTypeVersion | undefined> {
    if (row.type_version === null) return undefined;
    return this.types.version(orgId, row.task_type, row.type_version).catch(() => undefined);
  }

  /** The type's resolution times and outcomes over 180 days, in working hours. */
  private async stats(orgId: string, taskType: string): Promise<PublicStatsView> {
    const { rows } = await this.pool.query<{
      resolution: string | null;
      grand_total: boolean;
      count: number;
      p50: number | null;
      p90: number | null;
      slowest: number | null;
    }>(
      `SELECT resolution, GROUPING(resolution) = 1 AS grand_total, count(*)::int AS count,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY business_seconds) AS p50,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY business_seconds) AS p90,
              max(business_seconds) AS slowest
         FROM task_facts
        WHERE org_id = $1 AND task_type = $2 AND outcome = 'completed' AND resolved_at >= now() - interval '180 days'
        GROUP BY ROLLUP (resolution)`,
      [orgId, taskType],
    );
    const total = rows.find((row) => row.grand_total);
    const resolvedCount = total?.count ?? 0;
    const [calibration] = await this.eta.calibration(orgId, taskType);
    return {
      resolvedCount,
      medianSeconds: Math.round(total?.p50 ?? 0),
      p90Seconds: Math.round(total?.p90 ?? 0),
      slowestSeconds: Math.round(total?.slowest ?? 0),
      outcomes: rows
        .filter((row) => !row.grand_total && row.resolution !== null)
        .map((row) => ({ resolution: row.resolution!, percent: Math.round((100 * row.count) / resolvedCount) })),
      estimates: { tasks: calibration?.tasks ?? 0, withinPercent: calibration ? Math.round((100 * calibration.withinEstimate) / calibration.tasks) : null },
    };
  }
}
