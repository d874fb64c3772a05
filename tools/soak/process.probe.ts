import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

// Preloaded into each service of a soak run (NODE_OPTIONS=--require …): every few seconds it
// appends the process's heap and event-loop delay to <SOAK_PROBE_DIR>/<SOAK_PROBE_NAME>.jsonl.
// Nothing of it runs in a normal deployment.

const dir = process.env.SOAK_PROBE_DIR;
const name = process.env.SOAK_PROBE_NAME;
if (dir && name) {
  const delay = monitorEventLoopDelay({ resolution: 20 });
  delay.enable();
  const file = path.join(dir, `${name}.jsonl`);
  setInterval(() => {
    const memory = process.memoryUsage();
    const sample = {
      at: Date.now(),
      pid: process.pid,
      rssMb: memory.rss / 2 ** 20,
      heapMb: memory.heapUsed / 2 ** 20,
      loopDelayP99Ms: delay.percentile(99) / 1e6,
    };
    delay.reset();
    appendFileSync(file, `${JSON.stringify(sample)}\n`);
  }, Number(process.env.SOAK_PROBE_EVERY_MS ?? 5000)).unref();
}
