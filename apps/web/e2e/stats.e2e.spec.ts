import type { Locator, Page } from 'playwright-core';
import { call } from '@taskinbox/testing';
import {
  eventually,
  expectText,
  type Person,
  screenshot,
  scrollsSideways,
  startWebApp,
  type WebApp,
} from './web-app.fixture';

jest.setTimeout(60_000);

let web: WebApp;

/**
 * Six tasks over the API: three refund.approval completed (2 accepted, 1 rejected), one
 * content.flag completed (removed), one cancelled and one left open. Five finished: 40% accepted.
 */
beforeAll(async () => {
  web = await startWebApp();
  const finish = async (type: string, resolution: string) => {
    const { id } = await web.createTask({ type, title: `${type} ${resolution}` });
    await command('POST', `/api/inbox/tasks/${id}/claim`);
    await command('POST', `/api/tasks/${id}/complete`, { resolution });
  };
  await finish('refund.approval', 'accepted');
  await finish('refund.approval', 'accepted');
  await finish('refund.approval', 'rejected');
  await finish('content.flag', 'removed');
  const cancelled = await web.createTask({ type: 'content.flag', title: 'Spam after all' });
  await command('POST', `/api/tasks/${cancelled.id}/cancel`, { reason: 'duplicate' });
  await web.createTask({ type: 'content.flag', title: 'Still open' });
  // The stats read projected facts: start once the projector has caught up.
  await eventually('the read models to catch up', async () => {
    const { body } = await call(web.t.url, 'GET', '/api/stats/outcomes', { token: web.org.tokens.admin });
    return body.total === 5;
  });
});
afterAll(async () => {
  await web?.close();
});

async function command(method: string, path: string, body: unknown = {}): Promise<void> {
  const { status } = await call(web.t.url, method, path, { token: web.org.tokens.admin, body });
  if (status !== 200) throw new Error(`${method} ${path} answered ${status}`);
}

/**
 * A month of another organisation's work, written as the projector leaves its facts, so the
 * screenshots show durations and series a real team would have (the live tasks above all take
 * under a second and happen today). Business hours: the default calendar, Mon-Fri 09-17 UTC.
 */
async function seedHistory(): Promise<Person> {
  const org = await web.t.createOrganisation('history');
  const facts: { type: string; daysAgo: number; hours: number | null; resolution: string | null }[] = [
    ...[0.5, 1, 1.5, 2, 3, 4, 5, 8, 20, 26, 50, 70].map((hours, index) => ({
      type: 'refund.approval',
      daysAgo: [27, 25, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6][index],
      hours,
      resolution: index % 2 === 1 && index < 10 ? 'rejected' : 'accepted',
    })),
    ...[1 / 6, 1 / 3, 0.75, 1, 2, 6].map((hours, index) => ({
      type: 'content.flag',
      daysAgo: [26, 21, 17, 13, 9, 3][index],
      hours,
      resolution: index < 4 ? 'removed' : 'kept',
    })),
    ...[24, 48, 72, 120].map((hours, index) => ({
      type: 'kyc.review',
      daysAgo: [23, 19, 15, 11][index],
      hours,
      resolution: index < 3 ? 'accepted' : 'rejected',
    })),
    { type: 'refund.approval', daysAgo: 19, hours: 3, resolution: 'cancelled' },
    { type: 'refund.approval', daysAgo: 7, hours: 5, resolution: 'cancelled' },
    ...[40, 35, 20, 12, 5, 4, 2, 1].map((daysAgo, index) => ({
      type: ['kyc.review', 'refund.approval', 'content.flag'][index % 3],
      daysAgo,
      hours: null,
      resolution: null,
    })),
  ];
  await web.t.pool.query(
    `WITH f AS (
       SELECT type, now() - "daysAgo" * interval '1 day' AS created_at, hours, resolution
       FROM jsonb_to_recordset($2::jsonb) AS f(type text, "daysAgo" float8, hours float8, resolution text)
     ), g AS (SELECT *, created_at + hours * interval '1 hour' AS resolved_at FROM f)
     INSERT INTO task_facts (task_id, org_id, task_type, created_at, resolved_at, outcome, resolution, resolution_seconds, business_seconds)
     SELECT gen_random_uuid(), $1, type, created_at, resolved_at,
            CASE WHEN hours IS NULL THEN NULL WHEN resolution = 'cancelled' THEN 'cancelled' ELSE 'completed' END,
            CASE WHEN resolution = 'cancelled' THEN NULL ELSE resolution END,
            hours * 3600,
            CASE WHEN hours IS NULL THEN NULL ELSE business_seconds(created_at, resolved_at, 'UTC', '{1,2,3,4,5}', '09:00', '17:00') END
     FROM g`,
    [org.id, JSON.stringify(facts)],
  );
  return org.addUser('admin');
}

async function openStats(
  viewport: 'phone' | 'desktop' | 'narrowest',
  query = '',
  as: Person = web.admin,
): Promise<Page> {
  const { page } = await web.open({ viewport, as });
  await page.goto(`${web.t.url}/stats${query}`);
  await page.getByRole('heading', { name: 'Stats', level: 1 }).waitFor();
  return page;
}

const card = (page: Page, name: string): Locator => page.getByRole('region', { name });

describe('the stats dashboard', () => {
  it('shows per-type resolution times, outcome shares and the series on a phone', async () => {
    const page = await openStats('phone');
    const resolution = card(page, 'Resolution time');
    await expectText(resolution.locator('.stats-tiles div'), /Completed\s*4/);
    expect(await resolution.locator('dd').nth(1).innerText()).toMatch(/^\d+(\.\d)? (s|min|h|d)$/);

    const byType = card(page, 'By task type').getByRole('listitem');
    await expectText(byType, /refund\.approval\s*3 completed/);
    await expectText(byType.filter({ hasText: 'refund.approval' }), /Median \d/);
    await expectText(byType, /content\.flag\s*1 completed/);

    const outcomes = card(page, 'Outcomes');
    await expectText(outcomes, '5 tasks finished');
    await expectText(outcomes.getByRole('listitem'), /accepted\s*2 · 40\s?%/);
    await expectText(outcomes.getByRole('listitem'), /rejected\s*1 · 20\s?%/);
    await expectText(outcomes.getByRole('listitem'), /cancelled\s*1 · 20\s?%/);

    await expectText(card(page, 'Created vs resolved'), /6 created · 4 resolved · 1 cancelled/);
    await expectText(card(page, 'Backlog'), /1 open at the end/);
    expect(await page.getByRole('img', { name: /Tasks created and resolved per day/ }).count()).toBe(1);
    expect(await page.getByRole('img', { name: /Open tasks at the end of each day/ }).count()).toBe(1);
  });

  it('filters by type and keeps the filters in the URL across a reload', async () => {
    const page = await openStats('phone');
    await expectText(card(page, 'Outcomes'), '5 tasks finished');
    await page.getByRole('combobox', { name: 'Task type' }).selectOption('content.flag');
    await expectText(card(page, 'Outcomes'), '2 tasks finished');
    await expectText(card(page, 'Outcomes').getByRole('listitem'), /removed\s*1 · 50\s?%/);
    await expectText(card(page, 'Resolution time').locator('.stats-tiles div'), /Completed\s*1/);
    // The comparison still lists every type, the chosen one marked.
    await expectText(card(page, 'By task type').locator('li[aria-current="true"]'), 'content.flag');
    await expectText(card(page, 'By task type').getByRole('listitem'), 'refund.approval');

    await page.getByRole('button', { name: 'Week' }).click();
    await card(page, 'Backlog')
      .getByRole('img', { name: /at the end of each week/ })
      .waitFor();
    expect(new URL(page.url()).searchParams.get('type')).toBe('content.flag');
    expect(new URL(page.url()).searchParams.get('interval')).toBe('week');

    await page.reload();
    await expectText(card(page, 'Outcomes'), '2 tasks finished');
    expect(await page.getByRole('combobox', { name: 'Task type' }).inputValue()).toBe('content.flag');
    expect(await page.getByRole('button', { name: 'Week' }).getAttribute('aria-pressed')).toBe('true');
  });

  it('asks for business hours when the toggle is on, and says so', async () => {
    const page = await openStats('phone');
    const resolution = card(page, 'Resolution time');
    await expectText(resolution, 'All hours, nights and weekends included');
    const answered = page.waitForResponse(
      (response) =>
        /\/api\/stats\/resolution-time\?.*businessHours=true/.test(response.url()) && response.status() === 200,
    );
    await page.getByLabel('Business hours only').check();
    await answered;
    await expectText(resolution, 'Working hours only');
    await expectText(resolution.locator('.stats-tiles div'), /Completed\s*4/);
    await expectText(card(page, 'By task type'), 'working hours only');
    expect(new URL(page.url()).searchParams.get('businessHours')).toBe('true');
    await page.reload();
    await expectText(card(page, 'Resolution time'), 'Working hours only');
    expect(await page.getByLabel('Business hours only').isChecked()).toBe(true);
  });

  it('works by keyboard: periods are buttons that say which one is chosen', async () => {
    const page = await openStats('phone');
    const ninety = page.getByRole('button', { name: '90 days', exact: true });
    await ninety.focus();
    await page.keyboard.press('Enter');
    expect(await ninety.getAttribute('aria-pressed')).toBe('true');
    expect(new URL(page.url()).searchParams.get('period')).toBe('90d');
    // Ninety days are charted by week unless asked otherwise.
    expect(await page.getByRole('button', { name: 'Week' }).getAttribute('aria-pressed')).toBe('true');
    await expectText(card(page, 'Outcomes'), '5 tasks finished');
    // Focus stays on the button, with the visible outline keyboard users need.
    const focused =
      'document.activeElement.textContent === "90 days" && document.activeElement.matches(":focus-visible")';
    expect(await page.evaluate<boolean>(focused)).toBe(true);
  });

  it('shows per type how often tasks were resolved before the P90 their end user was shown', async () => {
    // Promises for the finished tasks: the first of each type was late by a minute, the others early.
    await web.t.pool.query(
      `INSERT INTO eta_promises (task_id, org_id, task_type, high_at)
       SELECT task_id, org_id, task_type,
              resolved_at + CASE WHEN row_number() OVER (PARTITION BY task_type ORDER BY resolved_at) = 1
                                 THEN interval '-1 minute' ELSE interval '1 minute' END
         FROM task_facts WHERE org_id = $1 AND outcome = 'completed'`,
      [web.org.id],
    );
    const page = await openStats('phone');
    const rows = card(page, 'ETA calibration').getByRole('row');
    // refund.approval: 2 of 3 in time; content.flag: 0 of 1.
    await expectText(rows.filter({ hasText: 'refund.approval' }), /67% of 3/);
    await expectText(rows.filter({ hasText: 'content.flag' }), /0% of 1/);
  });

  it('shows loading and an error with a retry for each request on its own', async () => {
    const page = await openStats('phone');
    await expectText(card(page, 'Outcomes'), '5 tasks finished');
    let fail = true;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/stats/outcomes?*', async (route) => {
      if (!fail) return route.continue();
      await held;
      return route.fulfill({
        status: 500,
        contentType: 'application/json',
        body: JSON.stringify({ statusCode: 500, error: 'Internal Server Error', message: 'The stats are unwell.' }),
      });
    });
    await page.getByRole('button', { name: '7 days', exact: true }).click();
    await expectText(card(page, 'Outcomes'), 'Updating…');
    release();
    const alert = card(page, 'Outcomes').getByRole('alert');
    await expectText(alert, 'The stats are unwell.');
    // The other cards are not held up by the failing one.
    await expectText(card(page, 'Resolution time').locator('.stats-tiles div'), /Completed\s*4/);
    fail = false;
    await alert.getByRole('button', { name: 'Try again' }).click();
    await expectText(card(page, 'Outcomes'), '5 tasks finished');

    const fresh = await openStats('phone', '?period=custom&from=2026-03-10&to=2026-03-01');
    await expectText(fresh.getByRole('alert'), 'The start date must be on or before the end date.');
  });

  it('a first load shows what it is loading', async () => {
    const { page } = await web.open({ viewport: 'phone', as: web.admin });
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/stats/backlog?*', async (route) => {
      await held;
      await route.continue();
    });
    await page.goto(`${web.t.url}/stats`);
    await expectText(card(page, 'Backlog').getByRole('status'), 'Loading the backlog…');
    release();
    await expectText(card(page, 'Backlog'), /1 open at the end/);
  });

  it('does not scroll sideways at 360 px, custom dates included', async () => {
    // A year up to tomorrow (UTC, so the local today is inside whatever the zone): charted by month.
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const page = await openStats('narrowest', `?period=custom&from=${day(-365)}&to=${day(1)}`);
    expect(await page.getByLabel('From').inputValue()).toBe(day(-365));
    expect(await page.getByRole('button', { name: 'Month' }).getAttribute('aria-pressed')).toBe('true');
    await expectText(card(page, 'Outcomes'), '5 tasks finished');
    await card(page, 'Created vs resolved').getByText('Show as a table').click();
    await card(page, 'Backlog').getByRole('img').waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    // The opened table fits its card too: all four columns readable without scrolling it.
    const tableFits =
      '[...document.querySelectorAll(".stats-table-scroll")].every((box) => box.scrollWidth <= box.clientWidth)';
    expect(await page.evaluate<boolean>(tableFits)).toBe(true);
  });

  it('a month of history, on a phone and in a grid on a desktop', async () => {
    const team = await seedHistory();
    const phone = await openStats('phone', '', team);
    // 0.5 … 70 h: the median is between 4 h and 5 h
    await expectText(
      card(phone, 'By task type').getByRole('listitem'),
      /refund\.approval\s*12 completed\s*Median 4\.5 h/,
    );
    await expectText(card(phone, 'Outcomes'), '24 tasks finished');
    await expectText(card(phone, 'Outcomes').getByRole('listitem'), /accepted\s*10 · 42\s?%/);
    await expectText(card(phone, 'Backlog'), /8 open at the end · 2 at the start/);
    await screenshot(phone, 'stats-phone');

    const page = await openStats('desktop', '', team);
    await expectText(card(page, 'Outcomes'), '24 tasks finished');
    await expectText(card(page, 'Backlog'), /8 open at the end/);
    await expectText(card(page, 'Created vs resolved'), /30 created · 22 resolved · 2 cancelled/);
    const [byType, outcomes] = await Promise.all([
      card(page, 'By task type').boundingBox(),
      card(page, 'Outcomes').boundingBox(),
    ]);
    expect(byType?.y).toBe(outcomes?.y);
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'stats-desktop');
  });
});
