import 'reflect-metadata';
import { launch, type LaunchedChrome } from 'chrome-launcher';
import lighthouse, { type Result } from 'lighthouse';
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { chromium } from 'playwright-core';
import { Pool } from 'pg';
import { chromiumFlags, startRunNats, stopRunNats } from '@taskinbox/testing';
import { dropBenchDatabase, freshBenchDatabase } from './bench.database';
import { benchAppEnv, startServer, stopServer } from './http-load';
import { benchAdmin, createTasks, signIn, waitForInbox } from './inbox.seed';

// npm run bench:lighthouse — Lighthouse's mobile preset (simulated slow 4G, 4× CPU slowdown) in
// Debian's Chromium, from one run on this machine, each page loaded cold in a fresh browser:
//   1. the sign-in page, and the inbox signed in with 5,000 open tasks: performance and
//      accessibility scores, FCP, LCP, TBT, CLS, and script transferred on the first load
//   2. the limit beside them: a bare static page served by the same server, with the same
//      headers (what Lighthouse gives a page with no script at all on this machine)
// Targets (issue 18): performance 98 or more, accessibility 100.
//
// BENCH_WEB_BUILDS=dirA,dirB (built copies of dist/web) compares builds instead: one server and one
// seeded inbox, audits alternating between the builds (A B, then B A, ...), each raw figure printed
// with the load average before it, since on a shared machine a run's figures move with the load.

const taskCount = Number(process.env.BENCH_TASKS ?? 5_000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const port = 3904;
const base = `http://127.0.0.1:${port}`;
const dist = join(__dirname, '..', '..');
const defaultWebDir = join(dist, 'web');
const barePage = 'lighthouse-bare.html';
// With this run's process id appended (benchDatabaseName), as every bench's scratch database.
const database = 'taskinbox_lighthouse_bench';

// The project's Chromium flags (libs/testing browser.ts): this machine's closed network.
const chromeFlags = ['--headless', ...chromiumFlags];

interface Figures {
  performance: number;
  accessibility: number;
  fcpMs: number;
  lcpMs: number;
  tbtMs: number;
  cls: number;
  scriptKiB: number;
  flagged: string[];
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** One cold Lighthouse run; `session` is put in localStorage first (the SPA's signed-in state). */
async function audit(url: string, session?: string): Promise<Figures> {
  const chrome: LaunchedChrome = await launch({ chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', chromeFlags });
  try {
    if (session) {
      // Set on a same-origin file that loads nothing, so the HTTP cache stays cold for the audit.
      const browser = await chromium.connectOverCDP(`http://127.0.0.1:${chrome.port}`);
      const page = await browser.contexts()[0].newPage();
      await page.goto(`${base}/manifest.webmanifest`);
      await page.evaluate(`localStorage.setItem('taskinbox.session', ${JSON.stringify(session)})`);
      await page.close();
      await browser.close();
    }
    const result = await lighthouse(url, {
      port: chrome.port,
      logLevel: 'error',
      output: 'json',
      onlyCategories: ['performance', 'accessibility'],
      // Lighthouse would otherwise clear the origin's storage, and with it the session.
      disableStorageReset: Boolean(session),
    });
    if (!result) throw new Error(`Lighthouse gave no result for ${url}`);
    // LIGHTHOUSE_REPORTS=dir keeps each run's full report, to see what an audit found.
    if (process.env.LIGHTHOUSE_REPORTS) {
      fs.mkdirSync(process.env.LIGHTHOUSE_REPORTS, { recursive: true });
      fs.writeFileSync(join(process.env.LIGHTHOUSE_REPORTS, `${new URL(url).pathname.replace(/\W/g, '') || 'app'}${session ? '-signed-in' : ''}-${Date.now()}.json`), result.report as string);
    }
    return figuresOf(result.lhr);
  } finally {
    chrome.kill();
  }
}

function figuresOf(lhr: Result): Figures {
  if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  const value = (id: string) => lhr.audits[id]?.numericValue ?? NaN;
  const summary = (lhr.audits['resource-summary']?.details as { items?: { resourceType: string; transferSize: number }[] } | undefined)?.items ?? [];
  const script = summary.find((item) => item.resourceType === 'script')?.transferSize ?? 0;
  // What Lighthouse marks as failing in either category, so a low score says why.
  const flagged = Object.values(lhr.categories)
    .flatMap((category) => category.auditRefs)
    .map((ref) => lhr.audits[ref.id])
    .filter((audit) => audit && audit.score !== null && audit.score < 0.9 && audit.scoreDisplayMode !== 'informative' && audit.scoreDisplayMode !== 'manual')
    .map((audit) => `${audit.id}${audit.displayValue ? ` (${audit.displayValue})` : ''}`);
  return {
    performance: Math.round((lhr.categories.performance?.score ?? 0) * 100),
    accessibility: Math.round((lhr.categories.accessibility?.score ?? 0) * 100),
    fcpMs: value('first-contentful-paint'),
    lcpMs: value('largest-contentful-paint'),
    tbtMs: value('total-blocking-time'),
    cls: value('cumulative-layout-shift'),
    scriptKiB: script / 1024,
    flagged,
  };
}

/** Runs `runs` cold audits of a page; prints and returns the medians. */
async function measure(label: string, url: string, session?: string): Promise<Figures> {
  const all: Figures[] = [];
  for (let run = 0; run < runs; run++) all.push(await audit(url, session));
  const pick = (key: keyof Omit<Figures, 'flagged'>) => median(all.map((figures) => figures[key]));
  const figures: Figures = {
    performance: pick('performance'),
    accessibility: pick('accessibility'),
    fcpMs: pick('fcpMs'),
    lcpMs: pick('lcpMs'),
    tbtMs: pick('tbtMs'),
    cls: pick('cls'),
    scriptKiB: pick('scriptKiB'),
    flagged: [...new Set(all.flatMap((figures) => figures.flagged))],
  };
  console.log(
    `${label}: performance ${figures.performance} (runs ${all.map((f) => f.performance).join(', ')}), accessibility ${figures.accessibility}, ` +
      `FCP ${Math.round(figures.fcpMs)} ms, LCP ${Math.round(figures.lcpMs)} ms, TBT ${Math.round(figures.tbtMs)} ms, CLS ${figures.cls.toFixed(3)}, ` +
      `script ${figures.scriptKiB.toFixed(1)} KiB transferred`,
  );
  if (figures.flagged.length) console.log(`  flagged: ${figures.flagged.join('; ')}`);
  return figures;
}

/**
 * The folder served when builds are compared: every build's hashed assets (@fastify/static lists the
 * files once, at start), and the top-level files (index.html, sw.js, ...) of the build `show` puts in.
 */
function comparedBuilds(builds: string[]): { dir: string; show(build: string): void } {
  const dir = fs.mkdtempSync(join(tmpdir(), 'taskinbox-lighthouse-'));
  for (const build of builds) execFileSync('cp', ['-a', `${build}/.`, dir]);
  const show = (build: string) => {
    for (const entry of fs.readdirSync(build, { withFileTypes: true })) if (entry.isFile()) fs.copyFileSync(join(build, entry.name), join(dir, entry.name));
  };
  return { dir, show };
}

/** Alternates cold audits of the builds on one page, `runs` rounds, printing every figure. */
async function compare(builds: string[], show: (build: string) => void, label: string, url: string, session?: string): Promise<void> {
  const all = new Map<string, Figures[]>(builds.map((build) => [build, []]));
  for (let round = 0; round < runs; round++) {
    for (const build of round % 2 ? [...builds].reverse() : builds) {
      show(build);
      const load = loadavg().map((value) => value.toFixed(2)).join(' ');
      const figures = await audit(url, session);
      all.get(build)?.push(figures);
      console.log(
        `${label}, ${basename(build)}: performance ${figures.performance}, accessibility ${figures.accessibility}, FCP ${Math.round(figures.fcpMs)} ms, ` +
          `LCP ${Math.round(figures.lcpMs)} ms, TBT ${Math.round(figures.tbtMs)} ms, load average before ${load}`,
      );
    }
  }
  for (const [build, figures] of all) {
    console.log(`${label}, ${basename(build)}: performance median ${median(figures.map((f) => f.performance))} (${figures.map((f) => f.performance).join(', ')})`);
  }
}

async function main(): Promise<void> {
  const builds = process.env.BENCH_WEB_BUILDS?.split(',').filter(Boolean) ?? [];
  const compared = builds.length ? comparedBuilds(builds) : undefined;
  const webDir = compared?.dir ?? defaultWebDir;
  if (!fs.existsSync(join(webDir, 'index.html'))) throw new Error('dist/web is missing: npm run build:web');
  console.log(`bench:lighthouse — mobile preset, ${runs} cold runs per page (medians), inbox of ${taskCount} tasks, ${new Date().toISOString()}`);
  const url = await freshBenchDatabase(database);
  const { config, email, password, key } = await benchAdmin(url);
  const pool = new Pool({ connectionString: url, max: 2 });

  // The limit: a page with a heading and a line of text, no script, no style, served by the same
  // server with the same headers as the app's page. Removed again at the end.
  fs.writeFileSync(
    join(webDir, barePage),
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
      '<title>taskinbox</title></head><body><main><h1>taskinbox</h1><p>Sign in to see your tasks.</p></main></body></html>',
  );
  const app = await startServer(
    join(dist, 'apps/taskinbox/src/main.js'),
    { ...benchAppEnv(url, config.jwtSecret), WEB_APP_DIR: webDir },
    port,
  );
  try {
    await createTasks(base, key, taskCount);
    await waitForInbox(pool, taskCount);
    const { session } = await signIn(base, email, password);
    if (compared) {
      await compare(builds, compared.show, 'sign-in page', `${base}/`);
      await compare(builds, compared.show, `inbox, ${taskCount} tasks, signed in`, `${base}/`, session);
      return;
    }

    const limit = await measure('limit: bare static page, same server (no script)', `${base}/${barePage}`);
    const pages = [await measure('sign-in page', `${base}/`), await measure(`inbox, ${taskCount} tasks, signed in`, `${base}/`, session)];
    for (const [label, figures] of [
      ['sign-in', pages[0]],
      ['inbox', pages[1]],
    ] as const) {
      console.log(
        `${label}: performance ${figures.performance} beside the bare page's ${limit.performance} (target ≥ 98); accessibility ${figures.accessibility} (target 100); ` +
          `LCP ${Math.round(figures.lcpMs)} ms beside ${Math.round(limit.lcpMs)} ms`,
      );
    }
  } finally {
    fs.rmSync(compared ? webDir : join(webDir, barePage), { recursive: true, force: true });
    await stopServer(app);
    await pool.end();
    await dropBenchDatabase(database);
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
