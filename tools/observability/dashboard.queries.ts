import { parser } from '@prometheus-io/lezer-promql';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const dashboardsDir = path.join(__dirname, '../../deploy/grafana/dashboards');

/** One PromQL query of a dashboard panel (or variable), where it is, and what it selects. */
export interface DashboardQuery {
  where: string;
  expr: string;
  /** Parse errors (positions), empty when the query is valid PromQL. */
  errors: string[];
  /** Each vector selector's metric name and the label names it matches on. */
  selectors: { metric: string; labels: string[] }[];
}

interface Panel {
  id?: number;
  title?: string;
  type?: string;
  targets?: { expr?: string }[];
  panels?: Panel[];
}

export interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating?: { list: { name: string; type: string; query?: string | { query?: string }; datasource?: unknown }[] };
}

export const loadDashboards = (): { file: string; dashboard: Dashboard }[] =>
  readdirSync(dashboardsDir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => ({
      file,
      dashboard: JSON.parse(readFileSync(path.join(dashboardsDir, file), 'utf8')) as Dashboard,
    }));

export const allPanels = (panels: Panel[]): Panel[] =>
  panels.flatMap((panel) => [panel, ...allPanels(panel.panels ?? [])]);

/** Grafana's variables in ranges ($window, $__rate_interval) stand for durations; in label values they are strings already. */
const withDurations = (expr: string): string => expr.replace(/\[\$\{?\w+\}?\]/g, '[5m]');

/** label_values(metric{…}, label) of a query variable, as the selector it reads. */
const labelValuesSelector = (query: string): string | undefined =>
  /^label_values\((.+),\s*\w+\)$/.exec(query.trim())?.[1];

export function parseQuery(where: string, expr: string): DashboardQuery {
  const text = withDurations(expr);
  const tree = parser.parse(text);
  const errors: string[] = [];
  const selectors: DashboardQuery['selectors'] = [];
  const cursor = tree.cursor();
  do {
    if (cursor.type.isError)
      errors.push(`at ${cursor.from}: '${text.slice(Math.max(0, cursor.from - 10), cursor.to + 10)}'`);
    if (cursor.name === 'VectorSelector') {
      const node = cursor.node;
      const metric = node.getChild('Identifier');
      const labels = node.getChild('LabelMatchers')?.getChildren('UnquotedLabelMatcher') ?? [];
      selectors.push({
        metric: metric ? text.slice(metric.from, metric.to) : '',
        labels: labels.map((matcher) => {
          const name = matcher.getChild('LabelName');
          return name ? text.slice(name.from, name.to) : '';
        }),
      });
    }
  } while (cursor.next());
  return { where, expr, errors, selectors };
}

/** Every PromQL query of every dashboard: the panels' targets and the query variables' label_values selectors. */
export function dashboardQueries(): DashboardQuery[] {
  const queries: DashboardQuery[] = [];
  for (const { file, dashboard } of loadDashboards()) {
    for (const panel of allPanels(dashboard.panels)) {
      for (const [i, target] of (panel.targets ?? []).entries()) {
        if (target.expr !== undefined)
          queries.push(parseQuery(`${file} panel '${panel.title}' target ${i}`, target.expr));
      }
    }
    for (const variable of dashboard.templating?.list ?? []) {
      if (variable.type !== 'query') continue;
      const query = typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? '');
      const selector = labelValuesSelector(query);
      queries.push(
        selector === undefined
          ? {
              where: `${file} variable $${variable.name}`,
              expr: query,
              errors: ['not label_values(selector, label)'],
              selectors: [],
            }
          : parseQuery(`${file} variable $${variable.name}`, selector),
      );
    }
  }
  return queries;
}
