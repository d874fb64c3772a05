import type { Page } from 'playwright-core';
import { alreadyTakenNotice } from './notices.fixture';
import { expectText, startWebApp, type WebApp } from './web-app.fixture';

// The story in one go, as two admins on two devices live it: sign in; a task a service
// posts appears without a reload; both press Start task, one wins and the other is told calmly;
// the winner completes it; the stats page counts it.
jest.setTimeout(90_000);

let web: WebApp;
beforeAll(async () => {
  web = await startWebApp();
});
afterAll(async () => {
  await web?.close();
});

it('sign in, see it arrive, race for it, complete it, find it in the stats', async () => {
  const colleague = await web.org.addUser('admin');
  const [phone, desktop] = await Promise.all([web.open({ viewport: 'phone' }), web.open({ viewport: 'desktop' })]);
  for (const [{ page }, who] of [
    [phone, web.admin],
    [desktop, colleague],
  ] as const) {
    await page.goto(web.t.url);
    await page.getByLabel('Email').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    await page.getByText('Live').waitFor();
  }

  const { id } = await web.createTask({ type: 'journey.refund', title: 'Refund order 5150', payload: { order: 5150 } });
  const start = (page: Page) => page.locator(`[data-task-id="${id}"]`).getByRole('button', { name: /Start task/ });
  await Promise.all([start(phone.page).waitFor(), start(desktop.page).waitFor()]);

  await Promise.all([start(phone.page).click(), start(desktop.page).click()]);
  const outcome = (page: Page) =>
    Promise.race([
      page.waitForURL(`**/tasks/${id}`, { timeout: 10_000 }).then(() => 'won' as const),
      page
        .getByText(alreadyTakenNotice)
        .waitFor({ timeout: 10_000 })
        .then(() => 'lost' as const),
    ]);
  const [phoneOutcome, desktopOutcome] = await Promise.all([outcome(phone.page), outcome(desktop.page)]);
  expect([phoneOutcome, desktopOutcome].sort()).toEqual(['lost', 'won']);
  const winner = phoneOutcome === 'won' ? phone.page : desktop.page;

  await winner.getByRole('heading', { name: 'Refund order 5150' }).waitFor();
  await winner.getByRole('button', { name: 'Complete…' }).click();
  const dialog = winner.getByRole('dialog', { name: 'Complete the task' });
  await dialog.getByLabel('Accepted').check();
  await dialog.getByRole('button', { name: 'Complete task' }).click();
  await expectText(winner.locator('.task-page-head'), 'Completed');

  await winner.getByRole('link', { name: 'Stats' }).click();
  await expectText(
    winner.getByRole('region', { name: 'By task type' }).getByRole('listitem'),
    /journey\.refund\s*1 completed/,
  );
  await expectText(winner.getByRole('region', { name: 'Outcomes' }).getByRole('listitem'), /accepted\s*1 · 100\s?%/);
  // The app runs whole under its Content-Security-Policy.
  expect(web.policyViolations).toEqual([]);
});
