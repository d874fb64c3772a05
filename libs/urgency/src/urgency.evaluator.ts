import type { Logger } from 'pino';
import type { Pool } from 'pg';
import type { SloStatusService } from '@taskinbox/slo';
import { type EtaService, etaFeatures, pastDeadline, type TransparencySettingsService } from '@taskinbox/transparency';
import { evaluateUrgency, urgencyRank } from './pure/urgency.rules';
import type { UrgencyRuleStore } from './rules/urgency-rule.store';

interface OpenTaskRow {
  task_id: string;
  task_type: string;
  status: string;
  created_at: Date;
  due_at: Date | null;
  tags: string[];
  state: { payload?: Record<string, unknown>; priority?: unknown; customerRef?: unknown; tags?: string[]; awaiting?: unknown };
  version: number;
}

/**
 * Works out the urgency of open tasks and writes it on their inbox rows: all of them on a timer
 * (deadlines and SLO clocks move with time), and those whose version changed since they were
 * last evaluated whenever the projector commits a batch. A row records the version it was
 * evaluated for, so a task changed in between is simply evaluated again on the next pass.
 */
export class UrgencyEvaluator {
  private running?: Promise<void>;
  private wanted?: 'changed' | 'all';
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly pool: Pool,
    private readonly rules: UrgencyRuleStore,
    private readonly slos: SloStatusService,
    private readonly eta: EtaService,
    private readonly settings: TransparencySettingsService,
    private readonly logger: Logger,
  ) {}

  /**
   * Asks for a pass over every organisation with rules: of all open tasks (the timer), or of those
   * changed since their last evaluation (a projector batch). One pass runs at a time; requests
   * made meanwhile become one more pass, a full one if any of them asked for it.
   */
  request(kind: 'changed' | 'all'): void {
    this.wanted = kind === 'all' || this.wanted === 'all' ? 'all' : 'changed';
    this.running ??= this.drain()
      .catch((error: unknown) => this.logger.error({ err: error }, 'urgency evaluation failed'))
      .finally(() => (this.running = undefined));
  }

  /** Resolves once no pass is running or wanted. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    while (this.wanted) {
      const kind = this.wanted;
      this.wanted = undefined;
      for (const orgId of await this.organisations()) await this.evaluate(orgId, kind === 'changed');
    }
  }

  /**
   * Organisations with urgency rules, and those with open tasks that have a deadline or are
   * flagged at risk (at risk is worked out without rules, and cleared when a deadline goes).
   */
  private async organisations(): Promise<string[]> {
    const { rows } = await this.pool.query<{ org_id: string }>(
      `SELECT DISTINCT org_id FROM inbox_tasks WHERE status_rank < 3 AND (due_at IS NOT NULL OR at_risk)`,
    );
    return [...new Set([...(await this.rules.organisations()), ...rows.map((row) => row.org_id)])];
  }

  /**
   * The organisation's open tasks (only those changed since their last evaluation, if `changedOnly`).
   * Evaluations run one at a time: one that read the rules before they were replaced must not
   * write its results over those of the evaluation the new rules asked for.
   */
  evaluate(orgId: string, changedOnly: boolean): Promise<void> {
    const run = this.queue.then(() => this.evaluateNow(orgId, changedOnly));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async evaluateNow(orgId: string, changedOnly: boolean): Promise<void> {
    const now = this.slos.now();
    const { rules } = await this.rules.get(orgId);
    const { rows } = await this.pool.query<OpenTaskRow>(
      `SELECT task_id::text AS task_id, task_type, status, created_at, due_at, tags, state, version
       FROM inbox_tasks WHERE org_id = $1 AND status_rank < 3 ${changedOnly ? 'AND urgency_version IS DISTINCT FROM version' : ''}`,
      [orgId],
    );
    if (rows.length === 0) return;
    const sloLeft = await this.slos.secondsLeft(orgId, now, changedOnly ? rows.map((row) => row.task_id) : undefined);
    const etaPastDeadline = await this.etaPastDeadline(orgId, now, rows);
    const results = rows.map((row) => {
      const urgency = evaluateUrgency(rules, {
        taskType: row.task_type,
        now,
        dueAt: row.due_at,
        sloSecondsLeft: sloLeft.get(row.task_id),
        etaPastDeadline: etaPastDeadline.get(row.task_id),
        tags: row.tags,
        payload: row.state.payload ?? {},
      });
      return {
        id: row.task_id,
        rank: urgencyRank[urgency.level],
        level: urgency.level,
        reason: urgency.reason,
        version: row.version,
        atRisk: etaPastDeadline.get(row.task_id) === true,
      };
    });
    // Only rows that differ are written: the timer's passes leave settled rows (and their dead tuples) alone.
    await this.pool.query(
      `UPDATE inbox_tasks t SET urgency_rank = u.rank, urgency_level = u.level, urgency_reason = u.reason, urgency_version = u.version,
              at_risk = u.at_risk
       FROM unnest($2::uuid[], $3::smallint[], $4::text[], $5::text[], $6::integer[], $7::boolean[]) AS u(id, rank, level, reason, version, at_risk)
       WHERE t.org_id = $1 AND t.task_id = u.id
         AND (t.urgency_rank, t.urgency_level, t.urgency_reason, t.urgency_version, t.at_risk)
             IS DISTINCT FROM (u.rank, u.level, u.reason, u.version, u.at_risk)`,
      [
        orgId,
        results.map((r) => r.id),
        results.map((r) => r.rank),
        results.map((r) => r.level),
        results.map((r) => r.reason),
        results.map((r) => r.version),
        results.map((r) => r.atRisk),
      ],
    );
  }

  /** For each task with a deadline and an estimate: whether the estimate's latest time (P90) is after the deadline. */
  private async etaPastDeadline(orgId: string, now: Date, rows: OpenTaskRow[]): Promise<Map<string, boolean>> {
    const due = rows.filter((row) => row.due_at !== null);
    if (due.length === 0) return new Map();
    const { etaHooks } = await this.settings.get(orgId);
    const estimateOf = await this.eta.forOrganisation(orgId, etaHooks, now.getTime());
    const result = new Map<string, boolean>();
    for (const row of due) {
      const eta = estimateOf({
        orgId,
        taskId: row.task_id,
        taskType: row.task_type,
        status: row.status,
        createdAt: row.created_at,
        waitingForAnswer: row.state.awaiting !== undefined,
        features: etaFeatures(row.state, row.task_type),
      });
      const past = pastDeadline(eta, row.due_at!.getTime());
      if (past !== undefined) result.set(row.task_id, past);
    }
    return result;
  }
}
