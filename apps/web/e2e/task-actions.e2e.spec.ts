import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually, expectText, startWebApp, type WebApp } from './web-app.fixture';

// Issue 12 in a browser: a custom action run from the task page (confirm, arguments) against a
// receiver on this machine, and tasks tagged together from the table view.
jest.setTimeout(90_000);

let web: WebApp;
let server: Server;
const received: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push(body);
      response.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  web = await startWebApp({ env: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } });
});
afterAll(async () => {
  await web?.close();
  server?.close();
});

async function api(method: string, path: string, body?: unknown) {
  const response = await fetch(`${web.t.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${web.org.tokens.admin}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json().catch(() => undefined)) as any };
}

it("runs a type's action from the task page, asking for its arguments and confirmation", async () => {
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/refunds`;
  const type = await api('POST', '/api/task-types', {
    key: 'refund.request',
    name: 'Refund request',
    schema: { type: 'object', properties: { orderId: { type: 'string' } } },
    actions: [
      {
        key: 'refund',
        label: 'Refund the order',
        roles: ['admin'],
        confirm: 'Refund this order now?',
        argsSchema: { type: 'object', required: ['amount'], properties: { orderId: { type: 'string' }, amount: { type: 'number' } } },
        argsFrom: { orderId: '/payload/orderId' },
        target: { method: 'POST', url },
        retries: 0,
      },
    ],
  });
  expect(type.status).toBe(201);
  const task = await web.createTask({ type: 'refund.request', title: 'Refund order 7', payload: { orderId: 'o-7' } });

  const { page } = await web.open({ viewport: 'phone', as: web.admin });
  await page.goto(`${web.t.url}/tasks/${task.id}`);
  const actions = page.getByRole('region', { name: 'Actions' });
  await actions.getByRole('button', { name: 'Refund the order' }).click();
  const dialog = page.getByRole('dialog', { name: 'Refund the order' });
  await expectText(dialog, 'Refund this order now?');
  await dialog.getByLabel('amount').fill('12.5');
  await dialog.getByRole('button', { name: 'Run' }).click();
  await eventually('the call', async () => received.length === 1);
  expect(JSON.parse(received[0]).data.args).toEqual({ orderId: 'o-7', amount: 12.5 });
  await expectText(page.locator('.task-page'), 'Action refund succeeded (HTTP 200)', 15_000);
});

it('tags selected rows of the table view together', async () => {
  const tasks = await Promise.all(['Bulk one', 'Bulk two'].map((title) => web.createTask({ type: 'bulk.case', title })));
  const { page } = await web.open({ viewport: 'desktop', as: web.admin });
  await page.goto(`${web.t.url}/?view=table`);
  const table = page.locator('.task-table');
  await table.waitFor();
  for (const title of ['Bulk one', 'Bulk two']) await table.getByLabel(`Select ${title}`).check();
  const bar = page.getByRole('region', { name: 'Selected tasks' });
  await expectText(bar, '2 selected');
  await bar.getByLabel('Tag').fill('batch');
  await bar.getByRole('button', { name: 'Tag', exact: true }).click();
  // A task never tagged has no tags field yet; the bulk tag may land after the first look.
  await eventually('both tagged', async () => {
    const tags = await Promise.all(tasks.map(async (one) => ((await api('GET', `/api/tasks/${one.id}`)).body.tags ?? []) as string[]));
    return tags.every((list) => list.includes('batch'));
  });
});
