import 'reflect-metadata';
import { join } from 'node:path';
import { Pool } from 'pg';
import { launchBrowser, startRunNats, stopRunNats, until, viewports } from '@taskinbox/testing';
import { dropBenchDatabases, freshBenchDatabase } from './bench.database';
import { benchAdmin, createTasks, signIn, waitForInbox } from './inbox.seed';
import { benchAppEnv, startServer, stopServer } from './http-load';

// npm run bench:web — prints, from one run on this machine:
//   1. first render of the inbox holding 5,000 open tasks: from navigation start to the first
//      task row in the DOM, in a fresh browser context (cold cache) at phone and desktop size
//   2. the limits beside it: the API's first page alone, and Chromium loading all 5,000 rows
//      as plain static HTML on the same clock (what an unpaginated list costs before any script)

const taskCount = Number(process.env.BENCH_TASKS ?? 5_000);
const runs = Number(process.env.BENCH_RUNS ?? 7);
const port = 3903;
const base = `http://127.0.0.1:${port}`;
const dist = join(__dirname, '..', '..');

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round = (value: number): number => Math.round(value * 10) / 10;

// Records when the first task row appears, from the page's own clock (ms since navigation start).
const firstRowProbe = `
  window.__firstRow = null;
  new MutationObserver((_, observer) => {
    if (document.querySelector('[data-task-id]')) { window.__firstRow = performance.now(); observer.disconnect(); }
  }).observe(document, { childList: true, subtree: true });
`;

async function main(): Promise<void> {
  console.log(`bench:web — ${taskCount} tasks, ${runs} runs per size, ${new Date().toISOString()}`);
  const url = await freshBenchDatabase('taskinbox_bench_web');
  const { config, email, password, key } = await benchAdmin(url);
  const pool = new Pool({ connectionString: url, max: 2 });

  const app = await startServer(
    join(dist, 'apps/taskinbox/src/main.js'),
    benchAppEnv(url, config.jwtSecret),
    port,
  );
  const browser = await launchBrowser();
  try {
    await createTasks(base, key, taskCount);
    await waitForInbox(pool, taskCount);
    const { session, token } = await signIn(base, email, password);

    for (const size of ['phone', 'desktop'] as const) {
      const times: number[] = [];
      for (let run = 0; run <= runs; run++) {
        const context = await browser.newContext({ viewport: viewports[size] });
        await context.addInitScript(
          `localStorage.setItem('taskinbox.session', ${JSON.stringify(session)}); ${firstRowProbe}`,
        );
        const page = await context.newPage();
        await page.goto(base);
        await until(page, 'window.__firstRow !== null');
        const rows = await page.evaluate<number>("document.querySelectorAll('[data-task-id]').length");
        const ms = await page.evaluate<number>('window.__firstRow');
        if (run > 0) times.push(ms); // run 0 warms the server's caches
        if (run === runs) console.log(`  ${size}: ${rows} rows rendered of ${taskCount} (the rest load on scroll)`);
        await context.close();
      }
      console.log(
        `first render, ${size} ${viewports[size].width}×${viewports[size].height}: median ${round(median(times))} ms, max ${round(Math.max(...times))} ms`,
      );
    }

    const apiTimes: number[] = [];
    for (let run = 0; run < 20; run++) {
      const started = performance.now();
      await (
        await fetch(`${base}/api/inbox/tasks?limit=50`, { headers: { authorization: `Bearer ${token}` } })
      ).json();
      apiTimes.push(performance.now() - started);
    }
    console.log(`limit: GET /api/inbox/tasks first page of 50 alone: median ${round(median(apiTimes))} ms`);

    // The same probe and clock on a page of all 5,000 rows as plain HTML, served from the same
    // origin without script or data fetch: what an unpaginated list costs before any app code.
    const rowsHtml = Array.from(
      { length: taskCount },
      (_, i) => `<li data-task-id="${i}"><a href="#">Refund order ${i}</a> <span>refund.request</span> <button>Start task</button></li>`,
    ).join('');
    const staticTimes: number[] = [];
    for (let run = 0; run <= runs; run++) {
      const context = await browser.newContext({ viewport: viewports.desktop });
      await context.addInitScript(firstRowProbe);
      await context.route(`${base}/static-rows`, (route) =>
        route.fulfill({ status: 200, contentType: 'text/html', body: `<!doctype html><ul>${rowsHtml}</ul>` }),
      );
      const page = await context.newPage();
      await page.goto(`${base}/static-rows`);
      await until(page, 'window.__firstRow !== null');
      const loaded = await page.evaluate<number>("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd");
      if (run > 0) staticTimes.push(loaded);
      await context.close();
    }
    console.log(
      `limit: Chromium parsing all ${taskCount} rows as static HTML (same origin, no script): DOM ready after median ${round(median(staticTimes))} ms`,
    );
  } finally {
    await browser.close();
    await stopServer(app);
    await pool.end();
    await dropBenchDatabases();
  }
}

// The app needs its NATS: a server of the bench's own, like a test run's.
startRunNats()
  .then(main)
  .finally(stopRunNats)
  .catch((error) => {
    console.error(error);
    process.exit(1);
});
