import { resolutionBuckets, resolutionFigures } from './resolution.metrics';

const acme = { org: 'acme', org_id: '00000000-0000-4000-8000-000000000001', type: 'refund' };

describe('resolution stats as Prometheus series', () => {
  it('adds up outcomes over time buckets, makes cumulative buckets, and keeps the backlog by status', () => {
    const { resolved, resolution, open } = resolutionFigures([
      // Two completed within the first minute, one after 2 h (bounds below it: 6, so le=14400 and up), one past a week.
      { ...acme, kind: 'completed', bucket: 0, n: 2, seconds: 50 },
      { ...acme, kind: 'completed', bucket: 6, n: 1, seconds: 8000 },
      { ...acme, kind: 'completed', bucket: resolutionBuckets.length, n: 1, seconds: 700_000 },
      { ...acme, kind: 'cancelled', bucket: null, n: 3, seconds: 10 },
      { ...acme, kind: 'pending', bucket: null, n: 4, seconds: 0 },
    ]);
    const labels = { org: 'acme', org_id: acme.org_id, type: 'refund' };
    expect(resolved).toEqual([
      { labels: { ...labels, outcome: 'completed' }, value: 4 },
      { labels: { ...labels, outcome: 'cancelled' }, value: 3 },
    ]);
    expect(open).toEqual([{ labels: { ...labels, status: 'pending' }, value: 4 }]);
    const bucket = (le: number | string) => resolution.find((value) => value.labels?.le === le)?.value;
    expect(bucket(60)).toBe(2);
    expect(bucket(3600)).toBe(2);
    expect(bucket(14400)).toBe(3);
    expect(bucket(604800)).toBe(3);
    expect(bucket('+Inf')).toBe(4);
    expect(resolution.find((value) => value.metricName === 'taskinbox_task_resolution_seconds_count')?.value).toBe(4);
    expect(resolution.find((value) => value.metricName === 'taskinbox_task_resolution_seconds_sum')?.value).toBe(708_050);
  });
});
