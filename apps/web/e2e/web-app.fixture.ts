import { jetstreamManager } from '@nats-io/jetstream';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { ensureTaskEventsStream, natsNames } from '@taskinbox/messaging';
import {
  connectTestNats,
  dropQueue,
  launchBrowser,
  startTestApp,
  type TestApp,
  type TestOrganisation,
  testNatsPrefix,
  until,
  viewports,
} from '@taskinbox/testing';
import { appFeatureModules } from '../../taskinbox/src/app.module';

export interface Person {
  id: string;
  email: string;
  password: string;
  token: string;
}

export interface WebApp {
  t: TestApp;
  browser: Browser;
  org: TestOrganisation;
  /** An admin of `org` with known credentials, for signing in through the page. */
  admin: Person;
  /** What the browser refused under the page's Content-Security-Policy, in any page opened so far. */
  policyViolations: string[];
  /** A fresh browser context (own storage) at a viewport, already signed in as `who` when given. */
  open(options?: {
    viewport?: keyof typeof viewports;
    as?: Person;
    timezoneId?: string;
  }): Promise<{ context: BrowserContext; page: Page }>;
  /** Creates a task over the API as the organisation's service. */
  createTask(body: Record<string, unknown>): Promise<{ id: string; version: number }>;
  close(): Promise<void>;
}

/**
 * Everything the admin SPA talks to, in one process on a test database (inbox, commands,
 * projector, relay → JetStream → SSE, webhooks), serving the built SPA (npm run build:web),
 * plus Debian's headless Chromium. `env` adds to the application's environment (e.g.
 * WEBHOOK_ALLOWED_HOSTS, so webhooks may reach a receiver on this machine).
 */
export async function startWebApp(options: { env?: NodeJS.ProcessEnv } = {}): Promise<WebApp> {
  const dist = path.resolve('dist/web/index.html');
  if (!fs.existsSync(dist)) throw new Error('dist/web is missing: run npm run build:web first (npm test does)');
  const run = randomBytes(4).toString('hex');
  const prefix = testNatsPrefix();
  const queueName = `test-web-${run}`;
  // The stream exists before the webhook consumer looks for it.
  const nc = await connectTestNats();
  await ensureTaskEventsStream(await jetstreamManager(nc), natsNames(prefix), { maxAgeMs: 3600_000 });
  await nc.close();
  const t = await startTestApp({
    imports: appFeatureModules({
      relay: { standbyPollMs: 100, retryMinMs: 50 },
      webhooks: { queueName },
      attachments: { queueName: `${queueName}-attachments` },
      notifications: { queueName: `${queueName}-notifications` },
      taskActions: { queueName: `${queueName}-actions` },
    }),
    webApp: true,
    env: {
      NATS_SUBJECT_PREFIX: prefix,
      WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'),
      REDIS_URL: 'redis://127.0.0.1:6379',
      ...options.env,
    },
  });
  const browser = await launchBrowser();
  const org = await t.createOrganisation('web');
  const admin = await org.addUser('admin');
  const contexts: BrowserContext[] = [];
  const policyViolations: string[] = [];

  return {
    t,
    browser,
    org,
    admin,
    policyViolations,
    async open({ viewport = 'desktop', as, timezoneId } = {}) {
      const context = await browser.newContext({
        viewport: viewports[viewport],
        ...(timezoneId ? { timezoneId } : {}),
      });
      contexts.push(context);
      const page = await context.newPage();
      page.on('console', (message) => {
        if (message.text().includes('Content Security Policy')) policyViolations.push(message.text());
      });
      if (as) {
        await page.goto(t.url);
        await page.getByLabel('Email').fill(as.email);
        await page.getByLabel('Password').fill(as.password);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('navigation', { name: 'Sections' }).waitFor();
      }
      return { context, page };
    },
    async createTask(body) {
      const response = await fetch(`${t.url}/api/tasks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${org.tokens.service}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (response.status !== 201) throw new Error(`create failed: ${response.status} ${await response.text()}`);
      return (await response.json()) as { id: string; version: number };
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await t.close();
      await dropQueue(queueName);
      await dropQueue(`${queueName}-attachments`);
      await dropQueue(`${queueName}-notifications`);
      await dropQueue(`${queueName}-actions`);
    },
  };
}

/** Saves a screenshot under docs/screenshots/ for the README. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.resolve('docs/screenshots', `${name}.png`), fullPage: false });
}

/** True when the page is wider than its viewport (horizontal scrolling). */
export const scrollsSideways = (page: Page): Promise<boolean> =>
  // A string: this file is type-checked without the DOM library.
  page.evaluate<boolean>('document.documentElement.scrollWidth > document.documentElement.clientWidth');

/** Waits until one of `locator`'s elements shows `text`: what the person would read. */
export async function expectText(locator: Locator, text: string | RegExp, timeoutMs = 10_000): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: timeoutMs });
}

/** Polls `check` (a call to the API, a look at the database) until it holds. */
export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** From the next navigation on, counts the live stream's ready events as the page sees them (before the app's own listener). */
export async function countStreamReady(page: Page): Promise<void> {
  await page.addInitScript(`
    window.__ready = [];
    window.EventSource = class extends window.EventSource {
      constructor(url, init) {
        super(url, init);
        this.addEventListener('ready', () => window.__ready.push(true));
      }
    };
  `);
}

/** Holds the page's live stream request back until the returned function is called. */
export async function holdStream(page: Page): Promise<() => void> {
  let open!: () => void;
  const held = new Promise<void>((resolve) => (open = resolve));
  await page.route('**/api/stream**', async (route) => {
    await held;
    await route.continue();
  });
  return open;
}

/** Reloads the page and waits until `loaded` shows, the live stream has said ready, and reads that prompts have had time to start. */
export async function reloadUntilStreamReady(page: Page, loaded: string): Promise<void> {
  await countStreamReady(page);
  await page.reload();
  await page.locator(loaded).first().waitFor();
  await until(page, 'window.__ready.length === 1');
  await page.waitForTimeout(750);
}
