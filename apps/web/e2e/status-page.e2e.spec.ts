import { randomUUID } from 'node:crypto';
import type { Page, Request } from 'playwright-core';
import { expectText, screenshot, scrollsSideways, startWebApp, type WebApp } from './web-app.fixture';

// Issue 14 in a browser: the end user opens their status link on a phone, reads the status and
// the estimate with its sentences, answers the form the task asks; the admin sees the answer.
// The page loads nothing from anywhere else, is not indexable, and a revoked link is a 404.
jest.setTimeout(120_000);

let web: WebApp;
beforeAll(async () => {
  web = await startWebApp();
});
afterAll(async () => {
  await web?.close();
});

const api = async (method: string, path: string, token: string, body?: unknown) => {
  const response = await fetch(`${web.t.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
};

/** Every request the page makes, to check none leaves its own origin. */
function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request: Request) => urls.push(request.url()));
  return urls;
}

describe('the status page', () => {
  it('shows the end user the status and the estimate, takes their answer, and the admin sees it', async () => {
    const { org, admin, t } = web;
    expect(
      (
        await api('POST', '/api/task-types', org.tokens.admin, {
          key: 'refund.request',
          name: 'Refund request',
          schema: { type: 'object', properties: { orderId: { type: 'string' }, amount: { type: 'number' }, email: { type: 'string' } } },
          uiSchema: {},
          layout: [
            { field: '/orderId', label: 'Order', format: 'text' },
            { field: '/amount', label: 'Amount (EUR)', format: 'text' },
          ],
          publicFields: ['/orderId', '/amount'],
          defaults: {},
        })
      ).status,
    ).toBe(201);
    // Six months of refunds: 1 h to 2 h of working time (P50–P90).
    for (const seconds of [...Array(11).fill(3600), ...Array(8).fill(7200), 10800]) {
      await t.pool.query(
        `INSERT INTO task_facts (task_id, org_id, task_type, created_at, resolved_at, outcome, resolution, resolution_seconds, business_seconds, private)
         VALUES ($1, $2, 'refund.request', now() - interval '20 days', now() - interval '19 days', 'completed', 'accepted', $3, $3, false)`,
        [randomUUID(), org.id, seconds],
      );
    }
    const task = await web.createTask({
      type: 'refund.request',
      title: 'Refund ORD-1042 for Ada Lovelace',
      payload: { orderId: 'ORD-1042', amount: 49.9, email: 'ada@example.com' },
    });
    const link = await api('POST', `/api/tasks/${task.id}/status-link`, org.tokens.service);
    expect(link.status).toBe(201);
    // PUBLIC_URL names port 0 in tests; the path is the link.
    const url = `${t.url}${new URL(link.body.url).pathname}`;
    const asked = await api('POST', `/api/tasks/${task.id}/end-user-request`, admin.token, {
      prompt: 'Where should we send the refund?',
      form: {
        type: 'object',
        required: ['iban'],
        properties: {
          iban: { type: 'string', title: 'IBAN', description: 'The account we pay the refund into.', minLength: 8 },
          speed: { type: 'string', title: 'Speed', enum: ['standard', 'express'] },
          keepItem: { type: 'boolean', title: 'I keep the item' },
        },
      },
    });
    expect(asked.status).toBe(201);

    // The end user, on a phone.
    const { page } = await web.open({ viewport: 'phone' });
    const requests = recordRequests(page);
    await expectEventually(async () => (await page.goto(url))!.status() === 200);
    const response = await page.reload();
    expect(response!.headers()['x-robots-tag']).toContain('noindex');
    expect(await page.locator('meta[name="robots"]').getAttribute('content')).toContain('noindex');
    await page.getByRole('heading', { level: 1, name: 'Refund request' }).waitFor();
    await expectText(page.locator('.status'), 'Waiting for you');
    const eta = page.getByRole('region', { name: 'When to expect it' });
    await expectText(eta, 'Tasks of this type normally take 1 h to 2 h of working time.');
    await expectText(eta, 'We need your answer first: the clock starts when you send it.');
    await expectText(eta, /Expect it between .+ and .+\./);
    const details = page.getByRole('region', { name: 'Details' });
    await expectText(details, 'ORD-1042');
    expect(await page.getByText('ada@example.com').count()).toBe(0);
    expect(await page.getByText('Ada Lovelace').count()).toBe(0);
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'status-page-phone');

    // A wrong answer is refused with the reason, the right one taken.
    await page.getByLabel('IBAN *').fill('DE89');
    await page.getByRole('button', { name: 'Send' }).click();
    await expectText(page.getByRole('alert'), 'iban must NOT have fewer than 8 characters');
    await page.getByLabel('IBAN *').fill('DE89 3704 0044 0532 0130 00');
    await page.getByLabel('Speed').selectOption('express');
    await page.getByLabel('I keep the item').check();
    await page.getByRole('button', { name: 'Send' }).click();
    await page.waitForURL(url);
    await expectText(page.getByRole('region', { name: 'History' }), 'You answered');
    expect(await page.getByRole('button', { name: 'Send' }).count()).toBe(0);

    const origin = new URL(web.t.url).origin;
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((url) => new URL(url).origin !== origin)).toEqual([]);
    expect(web.policyViolations).toEqual([]);

    // The admin sees the answer on the task, now back in the queue.
    const { page: adminPage } = await web.open({ viewport: 'desktop', as: admin });
    await adminPage.goto(`${web.t.url}/tasks/${task.id}`);
    await expectText(adminPage.getByRole('main'), 'DE89 3704 0044 0532 0130 00');
    await expectText(adminPage.getByRole('main'), 'the end user');
    expect((await api('GET', `/api/tasks/${task.id}`, admin.token)).body.status).toBe('pending');

    // The same page on a desktop.
    const { page: desktop } = await web.open({ viewport: 'desktop' });
    await desktop.goto(url);
    await expectText(desktop.locator('.status'), 'Received');
    await screenshot(desktop, 'status-page-desktop');

    // Revoked: a 404 page, also not indexable.
    expect((await api('DELETE', `/api/tasks/${task.id}/status-link`, org.tokens.service)).status).toBe(204);
    const gone = await page.goto(url);
    expect(gone!.status()).toBe(404);
    expect(gone!.headers()['x-robots-tag']).toContain('noindex');
    await page.getByRole('heading', { name: 'Link not found' }).waitFor();
  });
});

/** The read models catch up with the task a moment after it is created. */
async function expectEventually(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
