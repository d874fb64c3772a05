import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { allPanels, dashboardQueries, loadDashboards, parseQuery } from './dashboard.queries';

const root = path.join(__dirname, '../..');
const readYaml = (file: string): any => parse(readFileSync(path.join(root, file), 'utf8'));

describe('the observability profile of docker-compose.yml', () => {
  const compose = readYaml('docker-compose.yml');

  it('parses, and runs Prometheus and Grafana only under the observability profile', () => {
    for (const name of ['prometheus', 'grafana']) expect(compose.services[name].profiles).toEqual(['observability']);
    // The default `docker compose up` stays as it was.
    const always = Object.entries<any>(compose.services)
      .filter(([, service]) => !service.profiles)
      .map(([name]) => name);
    expect(always).toEqual(expect.arrayContaining(['postgres', 'nats', 'redis', 'taskinbox']));
    expect(always).not.toContain('prometheus');
  });

  it('mounts files that exist, and Prometheus reads the token from where its entrypoint writes it', () => {
    for (const name of ['prometheus', 'grafana']) {
      for (const volume of compose.services[name].volumes as string[]) {
        const [source] = volume.split(':');
        if (source.startsWith('./')) expect(existsSync(path.join(root, source))).toBe(true);
        else expect(Object.keys(compose.volumes)).toContain(source);
      }
    }
    const prometheus = readYaml('deploy/prometheus/prometheus.yml');
    const entrypoint = (compose.services.prometheus.entrypoint as string[]).join(' ');
    for (const job of prometheus.scrape_configs) {
      expect(job.metrics_path).toBe('/metrics');
      expect(job.authorization.type).toBe('Bearer');
      expect(entrypoint).toContain(`> ${job.authorization.credentials_file}`);
    }
    // The one-process app is scraped where compose runs it, with the token compose gives it.
    const app = prometheus.scrape_configs.find((job: any) => job.job_name === 'taskinbox');
    expect(app.static_configs[0].targets).toEqual(['taskinbox:3000']);
    expect(compose.services.taskinbox.ports).toContain('3000:3000');
    expect(compose.services.taskinbox.environment.METRICS_TOKEN).toBe('${METRICS_TOKEN:-}');
    expect(compose.services.prometheus.environment.METRICS_TOKEN).toBe('${METRICS_TOKEN:-}');
  });

  it('provisions the Prometheus datasource the dashboards name, and loads the dashboards from where they are mounted', () => {
    const datasources = readYaml('deploy/grafana/provisioning/datasources/prometheus.yml').datasources;
    expect(datasources).toEqual([
      expect.objectContaining({ type: 'prometheus', uid: 'prometheus', url: 'http://prometheus:9090' }),
    ]);
    const provider = readYaml('deploy/grafana/provisioning/dashboards/taskinbox.yml').providers[0];
    const mounted = (compose.services.grafana.volumes as string[]).find((volume) =>
      volume.startsWith('./deploy/grafana/dashboards:'),
    );
    expect(mounted?.split(':')[1]).toBe(provider.options.path);
    for (const { dashboard } of loadDashboards()) {
      for (const panel of allPanels(dashboard.panels).filter((p) => p.type !== 'row')) {
        expect({ panel: panel.title, datasource: (panel as any).datasource }).toEqual({
          panel: panel.title,
          datasource: { type: 'prometheus', uid: 'prometheus' },
        });
      }
    }
  });
});

describe('the Grafana dashboards', () => {
  const dashboards = loadDashboards();

  it('show resolution time, outcomes, backlog and SLOs, and each panel has its own id', () => {
    const [{ dashboard }] = dashboards;
    const panels = allPanels(dashboard.panels);
    expect(new Set(panels.map((panel) => panel.id)).size).toBe(panels.length);
    const titles = panels.map((panel) => panel.title).join('\n');
    for (const shown of [
      /Resolution time p50 \/ p90/,
      /by outcome/,
      /backlog/i,
      /SLO attainment/,
      /Projection lag/,
      /Relay lag/,
      /Queue depth/,
      /Webhook deliveries/,
      /HTTP latency/,
      /appended/,
    ]) {
      expect(titles).toMatch(shown);
    }
  });

  it('query in valid PromQL, each selecting a metric by name', () => {
    const queries = dashboardQueries();
    expect(queries.length).toBeGreaterThan(20);
    for (const query of queries) {
      expect({ where: query.where, errors: query.errors }).toEqual({ where: query.where, errors: [] });
      expect(query.selectors.length).toBeGreaterThan(0);
      for (const selector of query.selectors) expect(selector.metric).toMatch(/^[a-z_:][a-z0-9_:]*$/);
    }
  });

  it('find a query with a syntax error (the check above can fail)', () => {
    expect(parseQuery('broken', 'sum(rate(http_requests_total[5m])').errors).not.toEqual([]);
    expect(parseQuery('fine', 'sum(rate(http_requests_total{job=~"$job"}[$__rate_interval]))')).toMatchObject({
      errors: [],
      selectors: [{ metric: 'http_requests_total', labels: ['job'] }],
    });
  });
});
