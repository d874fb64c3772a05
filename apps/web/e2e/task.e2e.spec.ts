import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { until } from '@taskinbox/testing';
import { pdf } from '../../../libs/attachments/src/attachments.fixture';
import { alreadyTakenNotice } from './notices.fixture';
import {
  eventually,
  expectText,
  holdStream,
  reloadUntilStreamReady,
  type Person,
  screenshot,
  scrollsSideways,
  startWebApp,
  type WebApp,
} from './web-app.fixture';

jest.setTimeout(90_000);

let web: WebApp;
/** The sending service's file server, on this machine: the app fetches URL attachments from it once. */
let sender: Server;
let senderUrl: string;
const senderSaw: string[] = [];
beforeAll(async () => {
  const files: Record<string, [string, Buffer]> = {
    '/photos/cracked-lid.jpg': ['image/jpeg', await sharp(Buffer.from(kettlePhoto)).jpeg().toBuffer()],
    '/receipts/ORD-1042.pdf': ['application/pdf', pdf()],
    '/receipts/ORD-3003.pdf': ['application/pdf', pdf()],
  };
  sender = createServer((request, response) => {
    senderSaw.push(request.url ?? '');
    const file = files[request.url ?? ''];
    response.writeHead(file ? 200 : 404, file ? { 'content-type': file[0] } : {});
    response.end(file?.[1]);
  });
  await new Promise<void>((resolve) => sender.listen(0, '127.0.0.1', resolve));
  senderUrl = `http://127.0.0.1:${(sender.address() as AddressInfo).port}`;
  web = await startWebApp({ env: { ATTACHMENTS_FETCH_ALLOWED_HOSTS: '127.0.0.1' } });
});
afterAll(async () => {
  await web?.close();
  sender?.closeAllConnections();
  await new Promise((resolve) => sender?.close(resolve));
});

const refundPayload = {
  customer: { name: 'Ada Lovelace', email: 'ada@example.com', tier: 'gold' },
  order: { id: 'ORD-1042', placedAt: '2026-03-02', items: [{ sku: 'KETTLE-2', quantity: 1, price: 49.9 }] },
  amount: { value: 49.9, currency: 'EUR' },
  reason: 'Arrived with a cracked lid; the customer sent a photo.',
  receiptUrl: 'https://shop.example.com/orders/ORD-1042/receipt',
  // A sender could put anything here; none of it may become a link.
  trap: 'javascript:alert(document.cookie)',
  preview: 'data:text/html,<script>alert(1)</script>',
};

describe('the task page', () => {
  it('shows the title, the payload readably (and as raw JSON), and only the actions the server allows', async () => {
    const task = await web.createTask({
      type: 'refund.request',
      title: 'Refund order ORD-1042',
      payload: refundPayload,
    });
    const { page } = await openTask(web.admin, task.id, 'phone');

    await page.getByRole('heading', { level: 1, name: 'Refund order ORD-1042' }).waitFor();
    await page.getByRole('main').getByRole('link', { name: 'Inbox', exact: true }).waitFor();
    const payload = page.getByRole('region', { name: 'Payload' });
    await expectText(payload, 'Ada Lovelace');
    await expectText(payload, 'ORD-1042');
    await expectText(payload, 'KETTLE-2');
    await expectText(payload, 'Arrived with a cracked lid');
    // Only http(s) strings become links.
    expect(await payload.getByRole('link', { name: refundPayload.receiptUrl }).getAttribute('href')).toBe(
      refundPayload.receiptUrl,
    );
    await expectText(payload, 'javascript:alert(document.cookie)');
    expect(await payload.getByRole('link').count()).toBe(1);

    await payload.getByRole('button', { name: 'Raw JSON' }).click();
    await expectText(payload.locator('pre'), '"currency": "EUR"');

    // An admin on an open task: start it, let it wait, or cancel it.
    await expectButtons(page, ['Start task', 'Wait…', 'Cancel task…']);
  });

  it('starts, waits and resumes, then completes with a resolution: status, timeline and actions follow', async () => {
    const task = await web.createTask({
      type: 'refund.request',
      title: 'Refund order ORD-2001',
      payload: refundPayload,
    });
    const { page } = await openTask(web.admin, task.id, 'phone');

    await actions(page).getByRole('button', { name: 'Start task' }).click();
    await expectButtons(page, ['Complete…', 'Release', 'Wait…', 'Cancel task…']);
    await expectText(page.locator('.task-page-head'), 'In progress');
    await expectText(timeline(page), 'You started the task');

    await actions(page).getByRole('button', { name: 'Wait…' }).click();
    await page.getByRole('dialog', { name: 'Wait' }).getByLabel('Reason').fill('Asked the customer for a photo');
    await page.getByRole('dialog', { name: 'Wait' }).getByRole('button', { name: 'Wait', exact: true }).click();
    await expectText(page.locator('.task-page-head'), 'Waiting');
    await expectText(timeline(page), 'Asked the customer for a photo');
    await expectButtons(page, ['Complete…', 'Resume', 'Release', 'Cancel task…']);
    await actions(page).getByRole('button', { name: 'Resume' }).click();
    await expectButtons(page, ['Complete…', 'Release', 'Wait…', 'Cancel task…']);

    // With the keyboard: Escape closes the dialog and gives focus back to its button.
    await actions(page).getByRole('button', { name: 'Complete…' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Complete the task' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Complete…');

    await page.keyboard.press('Enter');
    await dialog.getByLabel('Accepted').check();
    await dialog.getByLabel('Note').fill('Refunded to the original card.');
    await dialog.getByRole('button', { name: 'Complete task' }).click();

    await expectText(page.locator('.task-page-head'), 'Completed');
    await expectText(timeline(page), 'You completed the task: accepted');
    await expectText(timeline(page), 'Refunded to the original card.');
    await expectText(page.getByRole('region', { name: 'Details' }), 'accepted');
    await expectButtons(page, []);
  });

  it('adds a comment, which appears in the timeline', async () => {
    const task = await web.createTask({ type: 'support.question', title: 'Where is my parcel?' });
    const { page } = await openTask(web.admin, task.id, 'desktop');

    await page.getByLabel('Add a comment').fill('Tracking says it is at the depot.\nWill check tomorrow.');
    await page.getByRole('button', { name: 'Comment', exact: true }).click();
    await expectText(timeline(page), 'Tracking says it is at the depot.');
    await until(page, `document.querySelector('.comment-form textarea').value === ''`);
  });

  it('reads a quiet task once as the live stream opens, and shows a comment made before it opened', async () => {
    const task = await web.createTask({ type: 'support.question', title: 'Read once when quiet' });
    const { page } = await openTask(web.admin, task.id, 'desktop');
    let reads = 0;
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === `/api/tasks/${task.id}/timeline`) reads++;
    });

    // Quiet: the task is read once; the stream's ready says nothing came after that read.
    await reloadUntilStreamReady(page, '.task-page.loaded');
    expect(reads).toBe(1);

    // A comment made after the first read and before the stream opened is read again and shown.
    const openStream = await holdStream(page);
    reads = 0;
    await page.reload();
    await page.locator('.task-page.loaded').waitFor();
    await comment(task.id, 'Written before the stream opened.');
    // Projected and relayed before the stream subscribes: only reading the task again can show it.
    await eventually('the comment in the read model', async () => {
      const response = await fetch(`${web.t.url}/api/tasks/${task.id}/timeline`, {
        headers: { authorization: `Bearer ${web.admin.token}` },
      });
      return JSON.stringify(await response.json()).includes('Written before the stream opened.');
    });
    openStream();
    await expectText(timeline(page), 'Written before the stream opened.');
    expect(reads).toBeGreaterThan(1);
  });

  it('shows an attachment added by URL over the API live, kept by taskinbox: the page never asks the sender', async () => {
    const task = await web.createTask({ type: 'refund.request', title: 'Refund with receipt' });
    const { page } = await openTask(web.admin, task.id, 'desktop');
    const attachments = page.getByRole('region', { name: /Attachments/ });
    await expectText(attachments, 'No attachments.');

    const pageAskedSender: string[] = [];
    page.on('request', (request) => {
      if (request.url().startsWith(senderUrl)) pageAskedSender.push(request.url());
    });
    const before = senderSaw.length;
    await command('POST', `/api/tasks/${task.id}/attachments`, web.org.tokens.service, {
      name: 'receipt-ORD-3003.pdf',
      url: `${senderUrl}/receipts/ORD-3003.pdf`,
    });
    const link = attachments.getByRole('link', { name: 'receipt-ORD-3003.pdf' });
    await link.waitFor({ timeout: 10_000 });
    expect(await link.getAttribute('href')).toMatch(
      /^\/api\/attachments\/[0-9a-f-]+\/files\/original\?expires=\d+&signature=/,
    );
    await expectText(attachments, 'application/pdf');
    expect(senderSaw.slice(before)).toEqual(['/receipts/ORD-3003.pdf']);
    expect(pageAskedSender).toEqual([]);
  });

  it('updates without a reload when another user starts the task', async () => {
    const task = await web.createTask({ type: 'refund.request', title: 'Refund order ORD-4004' });
    const { page } = await openTask(web.admin, task.id, 'desktop');
    await expectButtons(page, ['Start task', 'Wait…', 'Cancel task…']);

    const member = await web.org.addUser('member');
    const other = await openTask(member, task.id, 'phone');
    await actions(other.page).getByRole('button', { name: 'Start task' }).click();
    await expectButtons(other.page, ['Complete…', 'Release', 'Wait…']);

    // The admin's page follows: someone else has it now, so no Start task; an admin may still release it.
    await expectButtons(page, ['Release', 'Wait…', 'Cancel task…']);
    await expectText(page.locator('.task-page-head'), 'In progress');
    await expectText(page.getByRole('region', { name: 'Details' }), 'member of');
    await expectText(timeline(page), 'started the task');
  });

  it('tells a second person calmly that the task is already taken', async () => {
    const task = await web.createTask({ type: 'refund.request', title: 'Refund order ORD-5005' });
    const member = await web.org.addUser('member');
    // This page hears no live changes, so it still offers Start task after someone else took it.
    const { page } = await openTask(member, task.id, 'phone', { offline: true });
    await expectButtons(page, ['Start task', 'Wait…']);

    await command('POST', `/api/inbox/tasks/${task.id}/claim`, web.org.tokens.admin);
    await actions(page).getByRole('button', { name: 'Start task' }).click();

    const notice = page.locator('.notice').filter({ hasText: alreadyTakenNotice });
    await notice.waitFor({ timeout: 10_000 });
    expect((await notice.locator('span').innerText()).trim()).toBe(alreadyTakenNotice);
    // And the page now shows who has it, without Start task.
    await expectText(page.locator('.task-page-head'), 'In progress');
    await expectButtons(page, []);
  });

  it('opens a link to a task the read side does not have yet, once it arrives', async () => {
    const task = await web.createTask({ type: 'import.failure', title: 'Import failed for fresh.csv' });
    const { context, page } = await web.open({ viewport: 'phone', as: web.admin });
    // As when a notification's link is followed before the projector has written the task.
    let asked = 0;
    await context.route('**/api/tasks/*/timeline**', async (route) => {
      if (asked++ >= 2) return route.continue();
      const body = {
        statusCode: 404,
        error: 'Not Found',
        message: 'task not found',
        details: { code: 'task_not_found' },
        correlationId: 'e2e',
      };
      return route.fulfill({ status: 404, contentType: 'application/json', body: JSON.stringify(body) });
    });
    await page.goto(`${web.t.url}/tasks/${task.id}`);
    await page.getByRole('heading', { level: 1, name: 'Import failed for fresh.csv' }).waitFor();
    // Past both refusals; a live change for the task may have asked once more on a slow machine.
    expect(asked).toBeGreaterThanOrEqual(3);
  });

  it('does not scroll sideways at 360 px, even with long unbroken strings', async () => {
    const long = 'x'.repeat(400);
    const task = await web.createTask({
      type: 'import.failure',
      title: `Import failed for ${'averyveryverylongfilename'.repeat(6)}.csv`,
      description: `Stack: ${'at-Object.<anonymous>'.repeat(20)}`,
      payload: {
        token: long,
        url: `https://example.com/${'segment/'.repeat(40)}?q=${long}`,
        nested: { deeper: { deepest: { value: long, list: [long, { again: long }] } } },
      },
    });
    const { page } = await openTask(web.admin, task.id, 'narrowest');
    await comment(task.id, long);
    await expectText(timeline(page), 'xxxxxxxxxx');
    expect(await scrollsSideways(page)).toBe(false);

    await page.getByRole('button', { name: 'Raw JSON' }).click();
    await page.locator('.payload-raw').waitFor();
    expect(await scrollsSideways(page)).toBe(false);
  });

  it('looks right on a phone and on a desktop (screenshots)', async () => {
    const task = await web.createTask({
      type: 'refund.request',
      title: 'Refund order ORD-1042 (cracked kettle lid)',
      description: 'The customer asks for a full refund. The photo is attached; the receipt is in the shop.',
      payload: refundPayload,
      priority: 'high',
      dueAt: new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10),
      tags: ['refund', 'kitchen'],
    });
    await command('POST', `/api/tasks/${task.id}/attachments`, web.org.tokens.service, {
      name: 'cracked-lid.jpg',
      url: `${senderUrl}/photos/cracked-lid.jpg`,
    });
    await command('POST', `/api/tasks/${task.id}/attachments`, web.org.tokens.service, {
      name: 'receipt-ORD-1042.pdf',
      url: `${senderUrl}/receipts/ORD-1042.pdf`,
    });
    await command('POST', `/api/inbox/tasks/${task.id}/claim`, web.admin.token);
    await comment(task.id, 'Photo confirms the damage. Refunding in full.', web.admin.token);

    for (const viewport of ['phone', 'desktop'] as const) {
      const { page } = await openTask(web.admin, task.id, viewport);
      await expectText(timeline(page), 'Photo confirms the damage.');
      await page.getByAltText('Preview of cracked-lid.jpg').scrollIntoViewIfNeeded();
      await until(page, `[...document.images].every((image) => image.complete)`);
      await page.evaluate('window.scrollTo(0, 0)');
      expect(await scrollsSideways(page)).toBe(false);
      await screenshot(page, `task-${viewport}`);
    }
  });
});

/** Opens /tasks/{id} signed in as `who`; optionally without the live stream. */
async function openTask(
  who: Person,
  taskId: string,
  viewport: 'phone' | 'desktop' | 'narrowest',
  { offline = false } = {},
): Promise<{ page: Page }> {
  const { context, page } = await web.open({ viewport, as: who });
  if (offline) await context.route('**/api/stream**', (route) => route.abort());
  await page.goto(`${web.t.url}/tasks/${taskId}`);
  await page.locator('.task-page.loaded').waitFor();
  return { page };
}

const actions = (page: Page): Locator => page.getByRole('region', { name: 'Actions' });
const timeline = (page: Page): Locator => page.getByRole('region', { name: 'Timeline' });

/** Waits until the action bar offers exactly `labels`, in order. */
async function expectButtons(page: Page, labels: string[]): Promise<void> {
  const deadline = Date.now() + 5_000;
  let shown: string[] = [];
  while (Date.now() < deadline) {
    shown =
      (await actions(page).count()) === 0
        ? []
        : (await actions(page).getByRole('button').allInnerTexts()).map((text) => text.trim());
    if (JSON.stringify(shown) === JSON.stringify(labels)) return;
    await page.waitForTimeout(100);
  }
  expect(shown).toEqual(labels);
}

async function command(method: string, path: string, token: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${web.t.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

const comment = (taskId: string, body: string, token = web.org.tokens.member) =>
  command('POST', `/api/tasks/${taskId}/comments`, token, { body });

const kettlePhoto = `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">
<rect width="128" height="128" fill="#dfe7ef"/><path d="M34 52h56l-6 52H40z" fill="#8aa0b6"/>
<path d="M40 40h44l6 12H34z" fill="#5d7690"/><path d="M60 40l6 8-5 6 7 9" stroke="#fff" stroke-width="3" fill="none"/>
<path d="M90 62c14 0 14 26 0 26" stroke="#5d7690" stroke-width="6" fill="none"/></svg>`;
