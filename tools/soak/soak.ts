import 'reflect-metadata';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'pg';
import { Deployment } from '../chaos/deployment';
import { pause } from '../chaos/faults';
import { LoadDriver, outsideNats, prepareOrganisation } from '../chaos/load';
import { WebhookReceiver } from '../chaos/webhook-receiver';

// npm run soak -- --minutes N [--rate R]: steady load on the split deployment (no faults). Every
// few seconds it samples each process's RSS, heap and event-loop delay (a preloaded probe), the
// projection lag, the webhook backlog and PostgreSQL's connections; at the end it prints each
// one's slope and fails when one grows without bound.

const probe = path.resolve(__dirname, 'process.probe.js');
const everyMs = 10_000;

interface Series {
  name: string;
  unit: string;
  points: { at: number; value: number }[];
  /** Growth that is not a leak: noise, warm-up, bounded queues. */
  allowance: number;
}

/** Least-squares slope, per minute. */
function slopePerMinute(points: { at: number; value: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const xs = points.map((p) => p.at / 60_000);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = points.reduce((a, p) => a + p.value, 0) / n;
  let num = 0;
  let den = 0;
  points.forEach((p, i) => {
    num += (xs[i] - mx) * (p.value - my);
    den += (xs[i] - mx) ** 2;
  });
  return den === 0 ? 0 : num / den;
}

const mean = (points: { value: number }[]) => points.reduce((a, p) => a + p.value, 0) / Math.max(1, points.length);

/**
 * Bounded: over the run after its first quarter (warm-up), the last quarter's mean is not above
 * the second quarter's by more than the allowance, and the fitted growth over that span is
 * within the allowance too.
 */
function verdict(series: Series): { slope: number; first: number; last: number; bounded: boolean } {
  const start = series.points[0]?.at ?? 0;
  const end = series.points.at(-1)?.at ?? 0;
  const span = end - start;
  const within = (from: number, to: number) => series.points.filter((p) => p.at >= start + from * span && p.at <= start + to * span);
  const steady = within(0.25, 1);
  const slope = slopePerMinute(steady);
  const first = mean(within(0.25, 0.5));
  const last = mean(within(0.75, 1));
  const fittedGrowth = slope * ((0.75 * span) / 60_000);
  const bounded = last - first <= series.allowance && fittedGrowth <= series.allowance;
  return { slope, first, last, bounded };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { minutes: { type: 'string', default: '5' }, rate: { type: 'string', default: '10' } } });
  const minutes = Number(values.minutes);
  const rate = Number(values.rate);
  const probes = path.join(process.cwd(), '.taskinbox', `soak-${process.pid}`);
  mkdirSync(probes, { recursive: true });
  const deployment = await Deployment.start({
    serviceEnv: (service) => ({
      NODE_OPTIONS: `--require ${probe}`,
      SOAK_PROBE_DIR: probes,
      SOAK_PROBE_NAME: service.name,
      SOAK_PROBE_EVERY_MS: String(everyMs),
    }),
  });
  const receiver = new WebhookReceiver();
  const pool = new Pool({ connectionString: deployment.databaseUrl, max: 1 });
  pool.on('error', () => undefined);
  let nc: Awaited<ReturnType<typeof outsideNats>> | undefined;
  try {
    await receiver.start();
    const org = await prepareOrganisation(deployment);
    const place = receiver.path('soak');
    const created = await fetch(`${deployment.urls('webhooks')[0]}/api/webhooks/endpoints`, {
      method: 'POST',
      headers: { authorization: `Bearer ${org.admin.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: place.url, description: 'soak' }),
    });
    receiver.secret(place.path, ((await created.json()) as { secret: string }).secret);
    nc = await outsideNats(deployment);
    const load = new LoadDriver(deployment, org, nc, { rate });
    console.log(`soak: ${minutes} min at ${rate} commands/s on ${deployment.services.length} service processes (logs in ${deployment.dir})`);

    const system: Record<string, Series> = {
      lag: { name: 'projection lag', unit: 'events', points: [], allowance: 50 + rate * 10 },
      backlog: { name: 'webhook backlog', unit: 'deliveries', points: [], allowance: 50 + rate * 10 },
      connections: { name: 'PostgreSQL connections', unit: 'connections', points: [], allowance: 5 },
    };
    load.start();
    const until = Date.now() + minutes * 60_000;
    while (Date.now() < until) {
      await pause(everyMs);
      const at = Date.now();
      const sample = async (sql: string, params: unknown[] = []) => Number((await pool.query(sql, params)).rows[0].n);
      try {
        const events = await sample(`SELECT count(*) AS n FROM es_events WHERE stream_id LIKE 'task-%'`);
        const projected = await sample('SELECT coalesce(sum(version + 1), 0) AS n FROM inbox_tasks');
        system.lag.points.push({ at, value: events - projected });
        system.backlog.points.push({ at, value: await sample(`SELECT count(*) AS n FROM webhook_deliveries WHERE status IN ('pending', 'retrying')`) });
        system.connections.points.push({ at, value: await sample('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database()') });
      } catch (error) {
        console.log(`soak: sample failed: ${(error as Error).message}`);
      }
    }
    await load.stop();

    const series: Series[] = [];
    for (const service of deployment.services) {
      const file = path.join(probes, `${service.name}.jsonl`);
      if (!existsSync(file)) continue;
      const samples = readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { at: number; rssMb: number; heapMb: number; loopDelayP99Ms: number });
      const of = (pick: (s: (typeof samples)[number]) => number) => samples.map((s) => ({ at: s.at, value: pick(s) }));
      series.push(
        { name: `${service.name} RSS`, unit: 'MB', points: of((s) => s.rssMb), allowance: 40 },
        { name: `${service.name} heap`, unit: 'MB', points: of((s) => s.heapMb), allowance: 25 },
        { name: `${service.name} event-loop delay p99`, unit: 'ms', points: of((s) => s.loopDelayP99Ms), allowance: 250 },
      );
    }
    series.push(...Object.values(system));

    const ledger = load.ledger;
    const acked = [...ledger.creates.values()].filter((c) => c.outcome === 'acked').length;
    console.log(
      `soak: load: ${acked} creates acked of ${ledger.creates.size}, ${ledger.races.length} claim races, ${ledger.completes.length} completes, ${ledger.comments.length} comments, inbox reads ok ${ledger.reads.ok} failed ${ledger.reads.failed}; webhooks received ${place.record.receipts.length}`,
    );
    const unbounded: string[] = [];
    for (const s of series) {
      const { slope, first, last, bounded } = verdict(s);
      if (!bounded) unbounded.push(s.name);
      console.log(
        `soak: ${s.name.padEnd(34)} ${first.toFixed(1).padStart(8)} → ${last.toFixed(1).padStart(8)} ${s.unit.padEnd(11)} slope ${slope >= 0 ? '+' : ''}${slope.toFixed(2)} ${s.unit}/min  ${bounded ? 'bounded' : 'GROWING'}`,
      );
    }
    console.log(unbounded.length === 0 ? 'soak: PASS: every figure stayed bounded' : `soak: FAIL: growing without bound: ${unbounded.join(', ')}`);
    process.exitCode = unbounded.length === 0 ? 0 : 1;
  } finally {
    await nc?.close().catch(() => undefined);
    await pool.end();
    await receiver.stop();
    await deployment.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
