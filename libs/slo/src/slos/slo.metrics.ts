import type { Pool } from 'pg';
import { cachedFor, type ComputedValue, type MetricsRegistry } from '@taskinbox/metrics';
import type { SloStatusService } from './slo-status.service';
import type { SloService } from './slo.service';

const sloLabels = ['org', 'org_id', 'type', 'slo', 'slo_id'];

interface SloFigures {
  attainment: ComputedValue[];
  target: ComputedValue[];
  budget: ComputedValue[];
  tasks: ComputedValue[];
}

/**
 * Every SLO's status over its window for the operator's Prometheus: one query per SLO (as the
 * burn-rate timer makes each minute), so kept 60 s. Series: per SLO, four to five; SLOs are a
 * few per organisation.
 */
export function registerSloMetrics(
  metrics: MetricsRegistry,
  pool: Pool,
  slos: SloService,
  statuses: SloStatusService,
): void {
  const figures = cachedFor<SloFigures>(60_000, async () => {
    const all = await slos.all();
    const { rows } = await pool.query<{ id: string; slug: string }>(
      'SELECT id::text, slug FROM organisations WHERE id = ANY($1::uuid[])',
      [[...new Set(all.map((slo) => slo.orgId))]],
    );
    const slugs = new Map(rows.map((row) => [row.id, row.slug]));
    const result: SloFigures = { attainment: [], target: [], budget: [], tasks: [] };
    const now = statuses.now();
    // One after another: a scrape must not take many of the pool's connections at once.
    for (const slo of all) {
      const status = await statuses.status(slo, now);
      const labels = {
        org: slugs.get(slo.orgId) ?? slo.orgId,
        org_id: slo.orgId,
        type: slo.taskType,
        slo: slo.name,
        slo_id: slo.id,
      };
      if (status.attainment !== null) result.attainment.push({ labels, value: status.attainment });
      result.target.push({ labels, value: slo.target });
      result.budget.push({ labels, value: status.errorBudget.remaining });
      result.tasks.push(
        { labels: { ...labels, sli: 'good' }, value: status.good },
        { labels: { ...labels, sli: 'bad' }, value: status.bad },
      );
    }
    return result;
  });
  const family = (name: string, help: string, pick: (figures: SloFigures) => ComputedValue[]) =>
    metrics.computed({
      name,
      help,
      type: 'gauge',
      labelNames: name === 'taskinbox_slo_tasks' ? [...sloLabels, 'sli'] : sloLabels,
      values: async () => pick(await figures()),
    });
  family(
    'taskinbox_slo_attainment_ratio',
    "Share of the SLO's tasks in its window resolved within its business hours (late open tasks count as bad); absent without tasks.",
    (f) => f.attainment,
  );
  family('taskinbox_slo_target_ratio', "The SLO's objective, e.g. 0.95.", (f) => f.target);
  family(
    'taskinbox_slo_error_budget_remaining_ratio',
    'Share of the error budget left over the window; negative once overspent.',
    (f) => f.budget,
  );
  family('taskinbox_slo_tasks', 'Tasks counted in the SLO window, good or bad.', (f) => f.tasks);
}
