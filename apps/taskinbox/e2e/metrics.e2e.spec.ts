import { randomBytes } from 'node:crypto';
import { MetricsRegistry } from '@taskinbox/metrics';
import { call, startTestApp, type TestApp } from '@taskinbox/testing';
import { dashboardQueries } from '../../../tools/observability/dashboard.queries';
import { projected, startOneProcessApp } from './one-process.fixture';

jest.setTimeout(90_000);

const metricsToken = randomBytes(24).toString('base64url');

/** One sample of the exposition text: the value of `name` with exactly these labels (in any order), if present. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels)
    .map(([key, value]) => `${key}="${value}"`)
    .sort()
    .join(',');
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '').match(/[a-zA-Z_]+="(?:[^"\\]|\\.)*"/g) ?? [];
    if ([...have].sort().join(',') === wanted) return Number(match[3]);
  }
  return undefined;
}

const scrape = async (t: TestApp, token = metricsToken) => {
  const response = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
};

/** Scrapes until `ready` holds on the text (the resolution stats are kept 10 s; lag settles a moment after appends). */
async function scrapeUntil(t: TestApp, ready: (text: string) => boolean): Promise<string> {
  let { text } = await scrape(t);
  for (let i = 0; i < 150 && !ready(text); i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    ({ text } = await scrape(t));
  }
  return text;
}

describe('/metrics of the one-process app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startOneProcessApp({ METRICS_TOKEN: metricsToken });
  });
  afterAll(() => t?.close());

  it('shows the operator resolution stats per organisation and type, request rates by route template and the lags, and no task content', async () => {
    const acme = await t.createOrganisation('acme');
    const other = await t.createOrganisation('other');
    const api = (method: string, path: string, token: string, body?: unknown) =>
      call(t.url, method, path, { token, body });

    // acme: two refunds, one claimed and completed, one left open; one cancelled approval.
    const refund = await acme.createTask('refund');
    await acme.createTask('refund');
    expect((await api('POST', `/api/inbox/tasks/${refund}/claim`, acme.tokens.member)).status).toBe(200);
    expect(
      (await api('POST', `/api/tasks/${refund}/complete`, acme.tokens.member, { resolution: 'approved' })).status,
    ).toBe(200);
    const approval = await acme.createTask('approval');
    expect((await api('POST', `/api/tasks/${approval}/cancel`, acme.tokens.admin, {})).status).toBe(200);
    // other: a task whose title and payload must never reach the scrape.
    const secret = await api('POST', '/api/tasks', other.tokens.service, {
      type: 'secret-review',
      title: 'Title-of-a-private-matter-7731',
      payload: { customer: 'payload-value-5513' },
    });
    expect(secret.status).toBe(201);
    const slo = await api('POST', '/api/slos', acme.tokens.admin, {
      name: 'Refunds by lunch',
      taskType: 'refund',
      targetPercent: 95,
      withinBusinessHours: 4,
      windowDays: 30,
    });
    expect(slo.status).toBe(201);
    await projected(t);

    const acmeLabels = { org: acme.slug, org_id: acme.id };
    const text = await scrapeUntil(
      t,
      (now) =>
        sample(now, 'taskinbox_tasks_resolved_total', { ...acmeLabels, type: 'refund', outcome: 'completed' }) === 1,
    );

    // Resolution stats, as a dashboard shows them.
    expect(
      sample(text, 'taskinbox_tasks_resolved_total', { ...acmeLabels, type: 'refund', outcome: 'completed' }),
    ).toBe(1);
    expect(
      sample(text, 'taskinbox_tasks_resolved_total', { ...acmeLabels, type: 'approval', outcome: 'cancelled' }),
    ).toBe(1);
    expect(sample(text, 'taskinbox_tasks_open', { ...acmeLabels, type: 'refund', status: 'pending' })).toBe(1);
    expect(
      sample(text, 'taskinbox_tasks_open', {
        org: other.slug,
        org_id: other.id,
        type: 'secret-review',
        status: 'pending',
      }),
    ).toBe(1);
    expect(sample(text, 'taskinbox_task_resolution_seconds_count', { ...acmeLabels, type: 'refund' })).toBe(1);
    // Completed within the test: under a minute, so in every bucket.
    expect(sample(text, 'taskinbox_task_resolution_seconds_bucket', { ...acmeLabels, type: 'refund', le: '60' })).toBe(
      1,
    );
    expect(
      sample(text, 'taskinbox_task_resolution_seconds_bucket', { ...acmeLabels, type: 'refund', le: '+Inf' }),
    ).toBe(1);

    // The SLO: the one completed refund took seconds, well within 4 business hours.
    const sloLabels = { ...acmeLabels, type: 'refund', slo: 'Refunds by lunch', slo_id: slo.body.id };
    expect(sample(text, 'taskinbox_slo_attainment_ratio', sloLabels)).toBe(1);
    expect(sample(text, 'taskinbox_slo_target_ratio', sloLabels)).toBe(0.95);
    expect(sample(text, 'taskinbox_slo_error_budget_remaining_ratio', sloLabels)).toBe(1);
    expect(sample(text, 'taskinbox_slo_tasks', { ...sloLabels, sli: 'good' })).toBe(1);

    // Requests by route template: the task's id is in no label.
    expect(
      sample(text, 'http_requests_total', { method: 'POST', route: '/api/tasks/:id/complete', status: '200' }),
    ).toBe(1);
    expect(
      sample(text, 'http_requests_total', { method: 'POST', route: '/api/tasks', status: '201' }),
    ).toBeGreaterThanOrEqual(4);
    expect(text).toMatch(/^http_request_duration_seconds_bucket\{.*route="\/api\/inbox\/tasks\/:id\/claim".*\} 1$/m);
    // Events appended: every create, claim, completion and cancellation.
    expect(sample(text, 'taskinbox_events_appended_total', { type: 'TaskCreated' })).toBeGreaterThanOrEqual(4);
    expect(text).toMatch(/^taskinbox_projection_lag_events \d+$/m);
    expect(text).toMatch(/^taskinbox_projection_lag_seconds [\d.e+-]+$/m);
    expect(text).toMatch(/^taskinbox_relay_lag_events \d+$/m);
    expect(text).toMatch(/^taskinbox_relay_lag_seconds [\d.e+-]+$/m);
    // Delivery outcomes and the delivery queue's depth are still there.
    expect(text).toContain('# TYPE webhook_deliveries_total counter');
    expect(text).toMatch(/^webhook_queue_jobs\{state="waiting"\} \d+$/m);
    for (const queue of ['webhooks', 'notifications', 'attachments'])
      expect(sample(text, 'taskinbox_queue_jobs', { queue, state: 'waiting' })).toBeGreaterThanOrEqual(0);

    // The operator sees organisations and types; never a task's title, payload or id.
    for (const hidden of ['Title-of-a-private-matter-7731', 'payload-value-5513', refund, approval, secret.body.id])
      expect(text).not.toContain(hidden);
  });

  it('settles the lags to nothing once the projector and relay caught up', async () => {
    const text = await scrapeUntil(
      t,
      (now) => /^taskinbox_projection_lag_events 0$/m.test(now) && /^taskinbox_relay_lag_events 0$/m.test(now),
    );
    expect(text).toMatch(/^taskinbox_projection_lag_events 0$/m);
    expect(text).toMatch(/^taskinbox_projection_lag_seconds 0$/m);
    expect(text).toMatch(/^taskinbox_relay_lag_events 0$/m);
  });

  it('exports every metric the Grafana dashboard queries, with the labels it matches on', async () => {
    const { text } = await scrape(t);
    // Series names and their labels as the scrape shows them; a histogram's name stands for its _bucket, _sum and _count.
    const labels = new Map<string, Set<string>>();
    for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
      for (const series of type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name])
        labels.set(series, new Set());
    }
    for (const [, name, set] of text.matchAll(/^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\} \S+$/gm)) {
      for (const [, label] of set.matchAll(/([a-zA-Z_]+)="/g)) labels.get(name)?.add(label);
    }
    // Declared label names: a labelled metric with nothing counted yet (or no organisation yet) shows no series.
    for (const metric of t.app.get(MetricsRegistry).registry.getMetricsAsArray() as unknown as {
      name: string;
      type: string;
      labelNames?: string[];
    }[]) {
      const names =
        metric.type === 'histogram'
          ? [`${metric.name}_bucket`, `${metric.name}_sum`, `${metric.name}_count`]
          : [metric.name];
      for (const name of names) for (const label of metric.labelNames ?? []) labels.get(name)?.add(label);
    }
    // Prometheus adds these to every series it scrapes.
    const targetLabels = ['job', 'instance'];
    const missing: string[] = [];
    for (const query of dashboardQueries()) {
      for (const selector of query.selectors) {
        const exported = labels.get(selector.metric);
        if (!exported) missing.push(`${query.where}: ${selector.metric} is not exported`);
        for (const label of selector.labels.filter((name) => !targetLabels.includes(name))) {
          if (exported && !exported.has(label))
            missing.push(`${query.where}: ${selector.metric} has no label '${label}' in this scrape`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('labels a request that matched no route as unmatched, not by its URL', async () => {
    expect((await fetch(`${t.url}/no/such/path-4411`)).status).toBe(404);
    const { text } = await scrape(t);
    expect(
      sample(text, 'http_requests_total', { method: 'GET', route: '(unmatched)', status: '404' }),
    ).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain('path-4411');
  });

  it('answers 401 without the token, with a wrong one, or with a person’s token', async () => {
    const acme = await t.createOrganisation('acme');
    expect((await fetch(`${t.url}/metrics`)).status).toBe(401);
    expect((await scrape(t, `${metricsToken}x`)).status).toBe(401);
    expect((await scrape(t, acme.tokens.admin)).status).toBe(401);
    const served = await scrape(t);
    expect(served.status).toBe(200);
    expect(served.type).toMatch(/^text\/plain; version=0\.0\.4/);
  });
});

describe('/metrics without METRICS_TOKEN', () => {
  it('is not served at all (404), whatever the caller sends', async () => {
    const t = await startTestApp({ imports: [] });
    try {
      expect((await fetch(`${t.url}/metrics`)).status).toBe(404);
      expect((await scrape(t, 'any-token-0123456789')).status).toBe(404);
    } finally {
      await t.close();
    }
  });
});
