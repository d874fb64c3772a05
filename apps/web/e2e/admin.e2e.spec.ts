import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Locator, Page } from 'playwright-core';
import { Webhook } from 'standardwebhooks';
import { call } from '@taskinbox/testing';
import { eventually, scrollsSideways, startWebApp, type WebApp } from './web-app.fixture';

// The admin pages against the whole app, with a real webhook receiver on this machine
// (WEBHOOK_ALLOWED_HOSTS lets the SSRF guard reach 127.0.0.1).
jest.setTimeout(90_000);

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const received: Received[] = [];
let receiver: Server;
let receiverUrl: string;
let web: WebApp;

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push({ path: request.url ?? '/', headers: request.headers, body });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('thanks from the receiver');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  web = await startWebApp({ env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } });
});
afterAll(async () => {
  await web?.close();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
});

const at = (path: string) => received.filter((request) => request.path === path);

describe('admin pages', () => {
  it('gives a member a calm refusal at /admin and no Admin link', async () => {
    const member = await web.org.addUser('member');
    const { page } = await web.open({ as: member });
    expect(await page.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    await page.goto(`${web.t.url}/admin`);
    await page.getByText('Only administrators can open this page.').waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
  });

  it('adds an endpoint and shows its secret once; a new task is delivered, logged and can be resent', async () => {
    const { page } = await web.open({ as: web.admin });
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { name: 'Webhook endpoints' }).waitFor();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const form = page.getByRole('form', { name: 'Add endpoint' });

    // The server's refusal is shown as it names the problem.
    await form.getByLabel('URL').fill('http://10.1.2.3/hook');
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    await form.getByRole('alert').filter({ hasText: 'Webhook URL refused (private)' }).waitFor();

    await form.getByLabel('URL').fill(`${receiverUrl}/hook`);
    await form.getByLabel('Description').fill('billing sync');
    await form.getByLabel('task.created').check();
    await form.getByRole('button', { name: 'Add endpoint' }).click();
    const secretField = page.getByLabel(/^Signing secret for/);
    const secret = await secretField.inputValue();
    expect(secret).toMatch(/^whsec_/);
    await page.getByText('you will not see it again').waitFor();
    await page.getByRole('button', { name: 'I have saved it, hide it' }).click();
    expect(await secretField.count()).toBe(0);
    await page.reload();
    await page.getByRole('heading', { name: 'billing sync' }).waitFor();
    expect(await page.content()).not.toContain(secret);
    expect(await page.evaluate<string>('JSON.stringify({ ...localStorage, ...sessionStorage })')).not.toContain(secret);

    await page.getByRole('link', { name: /Delivery log and settings/ }).click();
    await page.getByRole('heading', { name: 'Delivery log' }).waitFor();
    await page.getByText('Nothing sent yet').waitFor();
    const task = await web.createTask({ type: 'refund.request', title: 'Refund order 77' });
    // The log follows on its own: no reload.
    const message = messageOf(page, task.id);
    await message.getByText('Delivered', { exact: true }).first().waitFor({ timeout: 20_000 });
    expect(at('/hook')).toHaveLength(1);
    // The secret shown once is the one that signs.
    expect(() =>
      new Webhook(secret).verify(at('/hook')[0].body, at('/hook')[0].headers as Record<string, string>),
    ).not.toThrow();

    await message.getByRole('button', { name: 'Show attempts' }).click();
    const attempts = message.getByRole('list', { name: 'Attempts, newest first' }).getByRole('listitem');
    await attempts.filter({ hasText: 'HTTP 200' }).first().waitFor();
    expect(await attempts.count()).toBe(1);
    await attempts.first().getByText('Response body').click();
    await attempts.first().getByText('thanks from the receiver').waitFor();

    await message.getByRole('button', { name: 'Resend' }).click();
    await eventually('the resent message', async () => at('/hook').length === 2);
    expect(at('/hook')[1].headers['webhook-id']).toBe(at('/hook')[0].headers['webhook-id']);
    await eventually('a second attempt in the log', async () => (await attempts.count()) === 2);

    // Nothing failed, so a replay of the last day has nothing to send.
    await page.getByRole('button', { name: 'Send failed messages again' }).click();
    await page.getByText('Nothing to send again in that period.').waitFor();
  });

  it('edits, disables, enables, rotates the secret of and deletes an endpoint', async () => {
    const endpoint = await createEndpoint({ url: `${receiverUrl}/settings`, description: 'crm' });
    const { page } = await web.open({ as: web.admin });
    await page.goto(`${web.t.url}/admin/webhooks/${endpoint.id}`);
    await page.getByRole('heading', { name: 'crm', level: 2 }).waitFor();

    await page.getByRole('button', { name: 'Edit' }).click();
    const form = page.getByRole('form', { name: 'Save changes' });
    await form.getByLabel('Description').fill('crm sync');
    await form.getByLabel('Task types').fill('refund.request, invoice.review');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'crm sync', level: 2 }).waitFor();
    await page.getByText('refund.request, invoice.review').waitFor();

    await page.getByRole('button', { name: 'Disable' }).click();
    await page.getByText('Disabled by an administrator').waitFor();
    await page.getByRole('button', { name: 'Enable' }).click();
    await page.getByText('No failures since').waitFor();

    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('button', { name: 'Make a new secret' }).click();
    const secret = await page.getByLabel(/^New signing secret for/).inputValue();
    expect(secret).toMatch(/^whsec_/);
    await page.getByText('The previous secret keeps signing until').waitFor();
    await page.getByRole('button', { name: 'I have saved it, hide it' }).click();
    expect(await page.content()).not.toContain(secret);

    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('button', { name: 'Delete endpoint' }).click();
    await page.getByRole('heading', { name: 'Webhook endpoints' }).waitFor();
    expect(await page.getByRole('heading', { name: 'crm sync' }).count()).toBe(0);
    expect((await adminCall('GET', `/api/webhooks/endpoints/${endpoint.id}`)).status).toBe(404);
  });

  it('creates an API key shown once that works until it is revoked in the page', async () => {
    const { page } = await web.open({ as: web.admin });
    await page.goto(`${web.t.url}/admin/api-keys`);
    const form = page.getByRole('form', { name: 'New key' });
    await form.getByLabel('Name').fill('reporting');
    await form.getByLabel('tasks:read').uncheck();
    await form.getByRole('button', { name: 'Create key' }).click();
    await form.getByRole('alert').filter({ hasText: 'scopes should not be empty' }).waitFor();

    await form.getByLabel('tasks:read').check();
    await form.getByRole('button', { name: 'Create key' }).click();
    const key = await page.getByLabel('API key reporting').inputValue();
    expect(key).toMatch(/^tib_/);
    await page.getByText('you will not see it again').waitFor();
    const withKey = () => fetch(`${web.t.url}/api/inbox/tasks`, { headers: { authorization: `Bearer ${key}` } });
    expect((await withKey()).status).toBe(200);

    // Gone after a reload; the list shows the key was used.
    await page.reload();
    const item = page
      .getByRole('list', { name: 'Keys' })
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading', { name: 'reporting' }) });
    await item.waitFor();
    expect(await page.content()).not.toContain(key);
    expect(await item.getByText('Never').count()).toBe(0);

    // By keyboard: the confirmation takes focus, Escape gives it back, Enter revokes.
    await item.getByRole('button', { name: 'Revoke' }).focus();
    await page.keyboard.press('Enter');
    expect(await focusedText(page)).toBe('Revoke key');
    await page.keyboard.press('Escape');
    expect(await focusedText(page)).toBe('Revoke');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await item.getByText('Revoked', { exact: true }).first().waitFor();
    expect((await withKey()).status).toBe(401);
  });

  it('invites a person, shows the link once, and manages their role, block and groups', async () => {
    const { page } = await web.open({ as: web.admin });
    await page.goto(`${web.t.url}/admin/users`);
    await page.getByText('A role change, a block or a removal applies from the person’s next action').waitFor();
    const form = page.getByRole('form', { name: 'Invite a person' });
    await form.getByLabel('Email').fill(web.admin.email);
    await form.getByRole('button', { name: 'Invite' }).click();
    await form.getByRole('alert').filter({ hasText: 'is already a member of this organisation' }).waitFor();

    const email = `robin-${Date.now()}@example.test`;
    await form.getByLabel('Email').fill(email);
    await form.getByLabel('Role').selectOption('viewer');
    await form.getByRole('button', { name: 'Invite' }).click();
    const link = await page.getByLabel(`Invitation link for ${email}`).inputValue();
    expect(link).toMatch(/\/invitation#[A-Za-z0-9_-]{43}$/);
    await page.getByRole('button', { name: 'I have saved it, hide it' }).click();
    expect(await page.getByLabel(`Invitation link for ${email}`).count()).toBe(0);
    await page.getByRole('list', { name: 'Pending invitations' }).getByText(email).waitFor();

    // Robin accepts (the browser flow is in accounts.e2e.spec.ts), then shows up here.
    const token = link.slice(link.indexOf('#') + 1);
    const accepted = await call(web.t.url, 'POST', '/api/invitations/accept', {
      body: { token, newAccount: true, name: 'Robin Example', password: 'robin chose this' },
    });
    expect(accepted.status).toBe(200);
    await page.reload();
    const robin = page.getByRole('list', { name: 'Users' }).getByRole('listitem').filter({ hasText: email });
    await robin.waitFor();
    expect(await robin.getByLabel('Role of Robin Example').inputValue()).toBe('viewer');
    expect(await page.getByRole('list', { name: 'Pending invitations' }).count()).toBe(0);

    await robin.getByLabel('Role of Robin Example').selectOption('member');
    await robin.getByRole('button', { name: 'Change role' }).click();
    await page.getByText('Robin Example is now member, from their next action.').waitFor();
    const { rows } = await web.t.pool.query(
      'SELECT m.role FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = $1 AND u.email = $2',
      [web.org.id, email],
    );
    expect(rows).toEqual([{ role: 'member' }]);

    await robin.getByRole('button', { name: 'Block' }).click();
    await robin.getByRole('button', { name: 'Block Robin Example' }).click();
    await robin.getByText('Blocked').waitFor();
    expect((await call(web.t.url, 'GET', '/api/auth/me', { token: accepted.body.accessToken })).status).toBe(401);
    await robin.getByRole('button', { name: 'Unblock' }).click();
    await robin.getByRole('button', { name: 'Block', exact: true }).waitFor();

    await page.getByLabel('New group name').fill('on-call');
    await page.getByRole('button', { name: 'Create group' }).click();
    const group = page.getByRole('list', { name: 'Groups' }).getByRole('listitem').filter({ hasText: 'on-call' }).first();
    await group.getByLabel('Person to add to on-call').selectOption({ label: 'Robin Example' });
    await group.getByRole('button', { name: 'Add to group' }).click();
    await group.getByRole('button', { name: 'Take Robin Example out of on-call' }).click();
    await group.getByText('Nobody yet.').waitFor();
    await group.getByLabel('New name for on-call').fill('night shift');
    await group.getByRole('button', { name: 'Rename' }).click();
    const renamed = page.getByRole('list', { name: 'Groups' }).getByRole('listitem').filter({ hasText: 'night shift' }).first();
    await renamed.getByRole('button', { name: 'Delete group' }).click();
    await renamed.getByRole('button', { name: 'Delete “night shift”' }).click();
    await page.getByText('No groups yet.').waitFor();
  });

  it('never scrolls sideways at 360 px on any admin section', async () => {
    const endpoint = await createEndpoint({
      url: `${receiverUrl}/narrow/${'a-rather-long-path-segment-'.repeat(6)}end`,
    });
    const task = await web.createTask({ type: 'refund.request', title: 'Narrow screens' });
    await eventually(
      'a delivery to show',
      async () => (await adminCall('GET', `/api/webhooks/endpoints/${endpoint.id}/deliveries`)).body.length > 0,
    );
    await web.org.issueApiKey(['tasks:read']);
    const { page } = await web.open({ viewport: 'narrowest', as: web.admin });

    await page.goto(`${web.t.url}/admin`);
    await page.getByRole('list').getByRole('heading').first().waitFor();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByRole('form', { name: 'Add endpoint' }).waitFor();
    expect(await scrollsSideways(page)).toBe(false);

    await page.goto(`${web.t.url}/admin/webhooks/${endpoint.id}`);
    const message = messageOf(page, task.id);
    await message.waitFor();
    await message.getByRole('button', { name: 'Show attempts' }).click();
    await message.getByRole('list', { name: 'Attempts, newest first' }).waitFor();
    await page.getByRole('button', { name: 'Edit' }).click();
    expect(await scrollsSideways(page)).toBe(false);

    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('list', { name: 'Keys' }).waitFor();
    expect(await scrollsSideways(page)).toBe(false);

    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Users' }).click();
    await page.getByRole('list', { name: 'Users' }).waitFor();
    expect(await scrollsSideways(page)).toBe(false);
  });
});

/** A message of the delivery log, found by its task. */
const messageOf = (page: Page, taskId: string): Locator =>
  page.getByRole('list', { name: 'Messages' }).getByRole('listitem').filter({ hasText: taskId });

const focusedText = (page: Page): Promise<string> => page.evaluate<string>('document.activeElement?.textContent ?? ""');

async function adminCall(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${web.t.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${web.org.tokens.admin}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function createEndpoint(body: Record<string, unknown>): Promise<{ id: string }> {
  const { status, body: created } = await adminCall('POST', '/api/webhooks/endpoints', body);
  if (status !== 201) throw new Error(`endpoint not created: ${status} ${JSON.stringify(created)}`);
  return created;
}
