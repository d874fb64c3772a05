import 'reflect-metadata';
import { projectionLag, rebuildSpeed } from './projection.bench';
import { statsQueries } from './stats.bench';
import { benchDatabaseName, benchServer, dropBenchDatabases, freshBenchDatabase } from './bench.database';

// npm run bench:read — prints, from one run on this machine, each beside its raw limit:
//   projection lag p50/p99 while 500 events/s are appended (raw: NOTIFY round trip)
//   rebuild speed over 200k events (raw: copying the finished rows)
//   each stats query over 1M resolved tasks (raw: touching the same rows / a plain sort)
// BENCH_READ=lag,rebuild,stats (comma-separated; all when unset) runs only those parts, e.g.
// BENCH_READ=rebuild to time a rebuild change in about two minutes (seeding, the rebuild, the row copy and
// the live projector's catch-up over the same log) instead of the stats' many minutes.

const ms = (value: number) => `${value.toFixed(1)} ms`;
const parts = new Set((process.env.BENCH_READ ?? 'lag,rebuild,stats').split(',').map((part) => part.trim()));

async function main(): Promise<void> {
  console.log(`bench:read — ${new Date().toISOString()}`);

  if (parts.has('lag')) {
    const lag = await projectionLag(await freshBenchDatabase('taskinbox_bench_lag'), {
      eventsPerSecond: 500,
      seconds: 15,
    });
    console.log(
      `\nProjection lag, ${lag.appendedPerSecond.toFixed(0)} events/s appended for ${lag.seconds}s (${lag.events} events, ${lag.batches} batches)`,
    );
    console.log(
      `  append → visible in read model   p50 ${ms(lag.lag.p50Ms)}  p99 ${ms(lag.lag.p99Ms)}  max ${ms(lag.lag.maxMs)}`,
    );
    console.log(
      `  raw: NOTIFY round trip           p50 ${ms(lag.notifyRoundTrip.p50Ms)}  p99 ${ms(lag.notifyRoundTrip.p99Ms)}`,
    );
  }

  if (parts.has('rebuild')) {
    const rebuild = await rebuildSpeed(await freshBenchDatabase('taskinbox_bench_rebuild'), { events: 200_000 });
    console.log(`\nRebuild over ${rebuild.events} events (${rebuild.tasks} tasks)`);
    console.log(
      `  rebuild with swap                ${rebuild.rebuild.eventsPerSecond.toFixed(0)} events/s (${rebuild.rebuild.seconds.toFixed(1)} s)`,
    );
    const { setup, replay, finishing, swap } = rebuild.rebuild.phases;
    console.log(
      `    of which: setup ${setup.toFixed(2)} s, replay ${replay.toFixed(2)} s, finishing ${finishing.toFixed(2)} s, swap ${swap.toFixed(2)} s`,
    );
    console.log(`  live projector catch-up          ${rebuild.catchUp.eventsPerSecond.toFixed(0)} events/s`);
    console.log(`  raw: copy of the finished rows   ${rebuild.rawCopy.rowsPerSecond.toFixed(0)} rows/s`);
  }

  if (parts.has('stats')) {
    const stats = await statsQueries(`${benchServer}/${benchDatabaseName('taskinbox_bench_stats')}`);
    console.log(
      `\nStats over ${stats.resolvedTasks} resolved tasks (+${stats.noiseFacts} of other organisations), median of 5 warm runs`,
    );
    for (const figure of [...stats.queries, ...stats.rawLimits.map((f) => ({ ...f, label: `raw: ${f.label}` }))]) {
      console.log(
        `  ${figure.label.padEnd(60)} ${ms(figure.medianMs).padStart(10)}  (min ${ms(figure.minMs)}, max ${ms(figure.maxMs)})`,
      );
    }
  }
}

main()
  .finally(dropBenchDatabases)
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
