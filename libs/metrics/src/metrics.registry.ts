import { collectDefaultMetrics, type Metric, register, Registry } from 'prom-client';

/** One series of a family computed at scrape time. */
export interface ComputedValue {
  value: number;
  labels?: Record<string, string | number>;
  /** For a histogram's `_bucket`, `_sum` and `_count` series. */
  metricName?: string;
}

export interface ComputedFamily {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  /** The labels its series carry (besides a histogram's `le`): declared, so tools can check queries against them. */
  labelNames?: readonly string[];
  /** Called on each scrape; failures leave the family out of that scrape rather than failing it. */
  values(): Promise<ComputedValue[]>;
}

let processRegistry: Registry | undefined;

/**
 * Memory, CPU, event-loop delay, GC: what an operator looks at first. Made once per process:
 * each collection starts observers that are never stopped, so apps (tests start many) share it.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: 'taskinbox_' });
  }
  return processRegistry;
}

/**
 * The app's Prometheus registry, one per application (so several apps in one test process
 * never clash over a metric name). Libraries register their metrics here; /metrics serves it
 * with the process's Node metrics and prom-client's default registry (metrics made at module
 * load, like taskinbox_task_events_dropped_total).
 */
export class MetricsRegistry {
  readonly registry = new Registry();
  private readonly shared: Registry[];

  constructor(options: { processMetrics?: boolean } = {}) {
    this.shared = (options.processMetrics ?? true) ? [processMetrics(), register] : [register];
  }

  /**
   * Registers a family whose values are read on scrape (from the database, a queue): figures
   * that live elsewhere are read when asked for, not copied on every change.
   */
  computed(family: ComputedFamily): void {
    const metric = {
      name: family.name,
      help: family.help,
      type: family.type,
      aggregator: 'sum',
      labelNames: family.labelNames ?? [],
      reset: () => undefined,
      get: async () => ({
        name: family.name,
        help: family.help,
        type: family.type,
        aggregator: 'sum',
        values: await family.values().catch(() => []),
      }),
    };
    this.registry.registerMetric(metric as unknown as Metric);
  }

  /** The exposition text of this app's metrics and the default registry's. */
  scrape(): Promise<string> {
    return Registry.merge([this.registry, ...this.shared]).metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/**
 * Remembers an answer for `ms`: a scrape-time SQL query then runs at most once per interval,
 * however many scrapers (or replicas of Prometheus) ask. Concurrent callers share one load.
 */
export function cachedFor<T>(ms: number, load: () => Promise<T>, clock: () => number = Date.now): () => Promise<T> {
  let held: { at: number; value: Promise<T> } | undefined;
  return () => {
    const now = clock();
    if (!held || now - held.at >= ms) {
      const value = load();
      held = { at: now, value };
      // A failed load is not kept: the next scrape tries again.
      value.catch(() => {
        if (held?.value === value) held = undefined;
      });
    }
    return held.value;
  };
}
