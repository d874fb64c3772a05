import type { Page } from 'playwright-core';
import { until } from '@taskinbox/testing';
import { alreadyTakenNotice } from './notices.fixture';
import {
  eventually,
  holdStream,
  reloadUntilStreamReady,
  scrollsSideways,
  screenshot,
  startWebApp,
  type WebApp,
} from './web-app.fixture';

jest.setTimeout(90_000);

let web: WebApp;
beforeAll(async () => {
  web = await startWebApp();
});
afterAll(async () => {
  await web?.close();
});

const row = (page: Page, title: string) => page.locator('[data-task-id]').filter({ hasText: title });

describe('the shared inbox in a browser', () => {
  it('shows a task created over the API without a reload', async () => {
    const { page } = await web.open({ viewport: 'phone', as: web.admin });
    await page.getByText('Nothing to do').or(page.locator('[data-task-id]').first()).waitFor();
    const marker = await page.evaluate<number>('window.__marker = Math.random()');
    await web.createTask({ type: 'refund.request', title: 'Refund order 1042', tags: ['refund'] });
    await row(page, 'Refund order 1042').waitFor({ timeout: 10_000 });
    // Same document: it arrived over the live stream, not by navigating.
    expect(await page.evaluate<number>('window.__marker')).toBe(marker);
  });

  it('lets exactly one of two racing admins start a task; the other sees the calm notice', async () => {
    const second = await web.org.addUser('admin');
    const [a, b] = await Promise.all([web.open({ as: web.admin }), web.open({ as: second })]);
    const { id } = await web.createTask({ type: 'refund.request', title: 'Refund order 2077' });
    const start = (page: Page) => row(page, 'Refund order 2077').getByRole('button', { name: /Start task/ });
    await Promise.all([start(a.page).waitFor(), start(b.page).waitFor()]);

    await Promise.all([start(a.page).click(), start(b.page).click()]);

    const outcome = async (page: Page) =>
      Promise.race([
        page.waitForURL(`**/tasks/${id}`, { timeout: 10_000 }).then(() => 'won' as const),
        page
          .getByText(alreadyTakenNotice)
          .waitFor({ timeout: 10_000 })
          .then(() => 'lost' as const),
      ]);
    const results = await Promise.all([outcome(a.page), outcome(b.page)]);
    expect([...results].sort()).toEqual(['lost', 'won']);

    // The loser's list refreshed: no Start task any more, and it says who is on it.
    const loser = results[0] === 'lost' ? a.page : b.page;
    await row(loser, 'Refund order 2077')
      .getByText(/admin of .* is on it/)
      .waitFor();
    expect(await start(loser).count()).toBe(0);
  });

  it('filters: only mine, search — kept in the URL', async () => {
    const { id } = await web.createTask({ type: 'content.flag', title: 'Flagged comment 77', tags: ['moderation'] });
    const claim = await fetch(`${web.t.url}/api/inbox/tasks/${id}/claim`, {
      method: 'POST',
      headers: { authorization: `Bearer ${web.org.tokens.member}` },
    });
    expect(claim.status).toBe(200);
    const { page } = await web.open({ as: await web.org.addUser('admin') });
    await row(page, 'Flagged comment 77').waitFor();

    // This admin holds nothing yet.
    await page.getByLabel('Only mine').check();
    await page.getByText('No task matches these filters.').waitFor();
    await page.getByLabel('Only mine').uncheck();
    await row(page, 'Flagged comment 77').waitFor();

    await page.getByRole('searchbox', { name: 'Search tasks' }).fill('flagged');
    await page.waitForURL(/q=flagged/);
    await expectOnly(page, ['Flagged comment 77']);

    await page.reload();
    await expect(page.getByRole('searchbox', { name: 'Search tasks' }).inputValue()).resolves.toBe('flagged');
    await expectOnly(page, ['Flagged comment 77']);
  });

  it('moves a task on the board only where the domain allows it', async () => {
    const { id } = await web.createTask({ type: 'refund.request', title: 'Board task 5' });
    const { page } = await web.open({ as: web.admin });
    await page.goto(`${web.t.url}/?view=board`);
    const card = page.locator(`.board-card[data-task-id="${id}"]`);
    await card.waitFor();
    expect(await card.locator('xpath=ancestor::section').getAttribute('data-status')).toBe('pending');
    const moves = await card.getByRole('combobox').locator('option').allTextContents();
    // From Open an admin may start it, put it on hold or cancel it; completing needs a claim first.
    expect(moves).toEqual(['Move to…', 'In progress', 'Waiting', 'Cancelled']);

    // Waiting with nobody on it: resuming returns it to the queue, so "In progress" is not offered.
    const held = await web.createTask({ type: 'refund.request', title: 'Board task 6' });
    const hold = await fetch(`${web.t.url}/api/tasks/${held.id}/hold`, {
      method: 'POST',
      headers: { authorization: `Bearer ${web.org.tokens.admin}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(hold.status).toBe(200);
    const heldCard = page.locator(`section[data-status="waiting"] [data-task-id="${held.id}"]`);
    await heldCard.waitFor();
    expect(await heldCard.getByRole('combobox').locator('option').allTextContents()).toEqual([
      'Move to…',
      'Open',
      'Cancelled',
    ]);
    // By keyboard: choose, then the Move button.
    await heldCard.getByRole('combobox').selectOption({ label: 'Open' });
    await heldCard.getByRole('button', { name: 'Move' }).press('Enter');
    await page.locator(`section[data-status="pending"] [data-task-id="${held.id}"]`).waitFor();

    await card.dragTo(page.locator('section[data-status="processing"]'));
    await page.locator(`section[data-status="processing"] [data-task-id="${id}"]`).waitFor();
    const task = (await (
      await fetch(`${web.t.url}/api/tasks/${id}`, { headers: { authorization: `Bearer ${web.org.tokens.admin}` } })
    ).json()) as { status: string };
    expect(task.status).toBe('processing');
  });

  it('works from the keyboard: Tab reaches Start task, Enter starts the task and opens it', async () => {
    const { id } = await web.createTask({ type: 'keyboard.check', title: 'Keyboard task 9' });
    const { page } = await web.open({ viewport: 'phone', as: web.admin });
    await page.goto(`${web.t.url}/?q=Keyboard`);
    await row(page, 'Keyboard task 9').waitFor();
    let focused = '';
    for (let presses = 0; presses < 30 && focused !== 'Start task: Keyboard task 9'; presses++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate<string>("document.activeElement?.getAttribute('aria-label') ?? ''");
    }
    expect(focused).toBe('Start task: Keyboard task 9');
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/tasks/${id}`);
  });

  it('reads the inbox once when nothing changed before the live stream opened, and shows a task created in between', async () => {
    await web.createTask({ type: 'refund.request', title: 'Already there when the inbox opens' });
    const { page } = await web.open({ as: web.admin });
    await page.locator('[data-task-id]').first().waitFor();
    let reads = 0;
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/inbox/tasks') reads++;
    });

    // Quiet: the first page is read once; the stream's ready says nothing came after it.
    await reloadUntilStreamReady(page, '[data-task-id]');
    expect(reads).toBe(1);

    // A task created after the first read and before the stream opened is read again and shown.
    const openStream = await holdStream(page);
    reads = 0;
    await page.reload();
    await page.locator('[data-task-id]').first().waitFor();
    const { id } = await web.createTask({ type: 'refund.request', title: 'Created before the stream opened' });
    // Projected and relayed before the stream subscribes: only reading the inbox again can show it.
    await eventually('the task in the read model', async () => {
      const response = await fetch(`${web.t.url}/api/inbox/tasks?limit=200`, {
        headers: { authorization: `Bearer ${web.admin.token}` },
      });
      return ((await response.json()) as { items: { id: string }[] }).items.some((task) => task.id === id);
    });
    openStream();
    await row(page, 'Created before the stream opened').waitFor({ timeout: 10_000 });
    expect(reads).toBeGreaterThan(1);
  });

  it('says what went wrong when the inbox cannot load, and tries again on request', async () => {
    const { page } = await web.open({ as: web.admin });
    let failing = true;
    await page.route('**/api/inbox/tasks**', (route) =>
      failing
        ? route.fulfill({
            status: 503,
            contentType: 'application/json',
            body: JSON.stringify({
              statusCode: 503,
              error: 'Service Unavailable',
              message: 'The read side is restarting.',
              correlationId: 'c-42',
            }),
          })
        : route.continue(),
    );
    await page.reload();
    await page
      .getByRole('alert')
      .filter({ hasText: 'The read side is restarting. (reference c-42)' })
      .waitFor({ timeout: 15_000 });
    failing = false;
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.locator('[data-task-id]').first().waitFor();
  });

  it('shows a due date sent without a time as that day, also west of UTC', async () => {
    await web.createTask({ type: 'refund.request', title: 'Due on the first', dueAt: '2026-12-01' });
    const { page } = await web.open({ viewport: 'phone', as: web.admin, timezoneId: 'America/New_York' });
    await page.goto(`${web.t.url}/?q=first`);
    await row(page, 'Due on the first').getByText('due Dec 1, 2026').waitFor();
  });

  it('fits a 360 px screen in every view and takes the README screenshots', async () => {
    await web.createTask({
      type: 'refund.request',
      title: 'Refund order 3310 for a customer whose name is rather long',
      priority: 'urgent',
      tags: ['vip', 'refund'],
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    await web.createTask({
      type: 'account.deletion',
      title: 'Delete account of user 88',
      dueAt: new Date(Date.now() - 86_400_000).toISOString(),
    });
    const { page } = await web.open({ viewport: 'narrowest', as: web.admin });
    for (const view of ['list', 'table', 'board', 'calendar']) {
      await page.goto(`${web.t.url}/?view=${view}`);
      // Loaded: a task, or the calendar's due tasks or its "nothing due" line.
      await page
        .locator(
          '.task-list [data-task-id], .task-table [data-task-id], .board [data-task-id], .calendar .due, .calendar .empty',
        )
        .first()
        .waitFor();
      expect({ view, sideways: await scrollsSideways(page) }).toEqual({ view, sideways: false });
    }
    for (const [size, view] of [
      ['phone', 'list'],
      ['desktop', 'table'],
    ] as const) {
      const shot = await web.open({ viewport: size, as: web.admin });
      await shot.page.goto(`${web.t.url}/?view=${view}`);
      await row(shot.page, 'Refund order 3310').waitFor();
      await screenshot(shot.page, `inbox-${size}`);
    }
  });

  // Last: the organisation's rules reorder the queue for whatever runs after them.
  it('puts the most urgent task first and shows its level and reason', async () => {
    await web.createTask({ type: 'refund.request', title: 'Plain refund 5001' });
    await web.createTask({
      type: 'refund.request',
      title: 'Gold refund 5002',
      payload: { customer: { tier: 'gold' } },
    });
    const rules = {
      rules: [
        { when: { payload: { path: 'customer.tier', equals: 'gold' } }, level: 'critical', reason: 'Gold customer' },
      ],
    };
    const saved = await fetch(`${web.t.url}/api/urgency-rules`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${web.org.tokens.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify(rules),
    });
    expect(saved.status).toBe(200);
    // Evaluated after the projector wrote the task: wait until the API says so, then look.
    const deadline = Date.now() + 15_000;
    for (;;) {
      const inbox = await fetch(`${web.t.url}/api/inbox/tasks?q=5002`, {
        headers: { authorization: `Bearer ${web.org.tokens.admin}` },
      });
      const { items } = (await inbox.json()) as { items: { urgency: { level: string } }[] };
      if (items[0]?.urgency.level === 'critical' || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const { page } = await web.open({ viewport: 'phone', as: web.admin });
    await page.goto(`${web.t.url}/`);
    const gold = row(page, 'Gold refund 5002');
    await gold.locator('[data-urgency="critical"]').getByText('Gold customer').waitFor({ timeout: 15_000 });
    // Above every older task of the queue.
    await until(page, `document.querySelector('[data-task-id]')?.textContent?.includes('Gold refund 5002') === true`);
    expect(await row(page, 'Plain refund 5001').locator('[data-urgency]').count()).toBe(0);

    // 20 refunds resolved in 2 working hours: one due in a minute is expected after its deadline.
    await web.t.pool.query(
      `INSERT INTO task_facts (task_id, org_id, task_type, created_at, resolved_at, outcome, resolution_seconds, business_seconds)
       SELECT gen_random_uuid(), $1, 'refund.request', now() - interval '10 days', now() - interval '9 days', 'completed', 7200, 7200
         FROM generate_series(1, 20)`,
      [web.org.id],
    );
    const late = await web.createTask({
      type: 'refund.request',
      title: 'Late refund 5003',
      dueAt: new Date(Date.now() + 60_000).toISOString(),
    });
    // Flagged by the urgency pass after the projector wrote the task: wait until the API says so.
    const flaggedBy = Date.now() + 15_000;
    for (;;) {
      const inbox = await fetch(`${web.t.url}/api/inbox/tasks?q=5003`, {
        headers: { authorization: `Bearer ${web.org.tokens.admin}` },
      });
      const { items } = (await inbox.json()) as { items: { atRisk: unknown }[] };
      if (items[0]?.atRisk || Date.now() > flaggedBy) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await page.goto(`${web.t.url}/`);
    await row(page, 'Late refund 5003')
      .locator('[data-at-risk]')
      .getByText('At risk: expected after the deadline')
      .waitFor({ timeout: 15_000 });
    expect(await row(page, 'Plain refund 5001').locator('[data-at-risk]').count()).toBe(0);
    await page.goto(`${web.t.url}/tasks/${late.id}`);
    await page
      .locator('.task-badges [data-at-risk]')
      .getByText('At risk: expected after the deadline')
      .waitFor({ timeout: 15_000 });
  });
});

async function expectOnly(page: Page, titles: string[]): Promise<void> {
  await until(page, `document.querySelectorAll('[data-task-id]').length === ${titles.length}`);
  for (const title of titles) await row(page, title).waitFor();
}
