import { cachedFor, MetricsRegistry } from './metrics.registry';

describe('a family computed on scrape', () => {
  it('is read on each scrape, with its labels and histogram series', async () => {
    const metrics = new MetricsRegistry({ processMetrics: false });
    let open = 2;
    metrics.computed({
      name: 'open_things',
      help: 'Things open.',
      type: 'gauge',
      values: async () => [{ labels: { kind: 'a' }, value: open }],
    });
    metrics.computed({
      name: 'wait_seconds',
      help: 'Waits.',
      type: 'histogram',
      values: async () => [
        { metricName: 'wait_seconds_bucket', labels: { le: 1 }, value: 1 },
        { metricName: 'wait_seconds_bucket', labels: { le: '+Inf' }, value: 2 },
        { metricName: 'wait_seconds_sum', value: 3.5 },
        { metricName: 'wait_seconds_count', value: 2 },
      ],
    });
    expect(await metrics.scrape()).toContain('open_things{kind="a"} 2');
    open = 5;
    const text = await metrics.scrape();
    expect(text).toContain('open_things{kind="a"} 5');
    expect(text).toContain(
      '# TYPE wait_seconds histogram\nwait_seconds_bucket{le="1"} 1\nwait_seconds_bucket{le="+Inf"} 2\nwait_seconds_sum 3.5\nwait_seconds_count 2',
    );
  });

  it('is left out of a scrape when it cannot be read, and the rest is served', async () => {
    const metrics = new MetricsRegistry({ processMetrics: false });
    metrics.computed({
      name: 'broken',
      help: 'Fails.',
      type: 'gauge',
      values: () => Promise.reject(new Error('database away')),
    });
    metrics.computed({ name: 'fine', help: 'Works.', type: 'gauge', values: async () => [{ value: 1 }] });
    const text = await metrics.scrape();
    expect(text).toContain('fine 1');
    expect(text).not.toMatch(/^broken /m);
  });

  it('serves the process metrics of Node with the taskinbox_ prefix to every app of the process', async () => {
    const [one, two] = [new MetricsRegistry(), new MetricsRegistry()];
    expect(await one.scrape()).toContain('# TYPE taskinbox_process_resident_memory_bytes gauge');
    expect(await two.scrape()).toContain('# TYPE taskinbox_nodejs_eventloop_lag_seconds gauge');
  });
});

describe('cachedFor', () => {
  it('loads once per interval, shares a load in flight, and forgets a failure', async () => {
    let now = 0;
    let loads = 0;
    let fail = false;
    const read = cachedFor(
      10_000,
      async () => {
        loads++;
        if (fail) throw new Error('away');
        return loads;
      },
      () => now,
    );
    expect(await Promise.all([read(), read()])).toEqual([1, 1]);
    now = 9_999;
    expect(await read()).toBe(1);
    now = 10_000;
    fail = true;
    await expect(read()).rejects.toThrow('away');
    fail = false;
    expect(await read()).toBe(3);
    expect(loads).toBe(3);
  });
});
