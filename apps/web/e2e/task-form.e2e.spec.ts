import type { Locator, Page } from 'playwright-core';
import { eventually, expectText, screenshot, scrollsSideways, startWebApp, type WebApp } from './web-app.fixture';

jest.setTimeout(90_000);

let web: WebApp;
beforeAll(async () => {
  web = await startWebApp();
});
afterAll(async () => {
  await web?.close();
});

const facts = (page: Page): Locator => page.getByRole('region', { name: 'Details' });

/** The Details list's value for `label`, as the person reads it. */
async function fact(page: Page, label: string): Promise<string | null> {
  const row = facts(page)
    .locator('dl > div')
    .filter({ has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) });
  return (await row.count()) === 0 ? null : ((await row.locator('dd').textContent()) ?? '').trim();
}

async function apiGet<T>(path: string): Promise<T> {
  const response = await fetch(`${web.t.url}${path}`, { headers: { authorization: `Bearer ${web.org.tokens.admin}` } });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

describe('creating and editing a task by hand', () => {
  it('a member creates a task on a phone with every field, sees it, then edits and clears fields', async () => {
    const member = await web.org.addUser('member');
    const colleague = await web.org.addUser('member');
    const { page } = await web.open({ viewport: 'phone', as: member });

    await page.getByRole('link', { name: 'New task' }).click();
    const form = page.getByRole('form', { name: 'New task' });
    await form.waitFor();
    expect(await scrollsSideways(page)).toBe(false);

    await form.getByLabel(/^Title/).fill('Call back ACME about the invoice');
    await form.getByLabel(/^Description/).fill('They were charged twice in November.');
    await form.getByLabel('Due date').fill('2031-05-14');
    await form.getByLabel('Priority').selectOption('high');
    await form.getByLabel(/^Tags/).fill('billing, vip, billing');
    await form.getByLabel(/^Customer/).fill('ACME-42');
    await form.getByLabel(/^Project/).fill('invoicing');
    await form.getByRole('group', { name: 'Assignees' }).getByLabel(colleague.email).check();
    await form.getByRole('button', { name: 'Create task' }).click();

    await page.getByRole('heading', { level: 1, name: 'Call back ACME about the invoice' }).waitFor();
    await page.locator('.task-page.loaded').waitFor();
    const taskId = page.url().split('/tasks/')[1];
    await expectText(page.getByRole('region', { name: 'Description' }), 'They were charged twice in November.');
    expect(await fact(page, 'Priority')).toBe('High');
    expect(await fact(page, 'Customer')).toBe('ACME-42');
    expect(await fact(page, 'Project')).toBe('invoicing');
    expect(await fact(page, 'Tags')).toBe('billing, vip');
    expect(await fact(page, 'Assignees')).toBe(`member of ${web.org.slug}`);
    // A date without a time means that calendar day.
    expect(await fact(page, 'Due')).toMatch(/2031/);
    const stored = await apiGet<{
      dueAt: string;
      assignees: string[];
      taskType: string;
      source: { kind: string; id: string };
    }>(`/api/tasks/${taskId}`);
    expect(stored).toMatchObject({
      dueAt: '2031-05-14',
      assignees: [{ kind: 'user', id: colleague.id }],
      taskType: 'task',
    });
    expect(stored.source).toMatchObject({ kind: 'user', id: member.id });

    // Edit: a new title and a due time, no customer any more, the colleague swapped for oneself.
    await page.getByRole('link', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit task' });
    await edit.waitFor();
    expect(await edit.getByLabel(/^Title/).inputValue()).toBe('Call back ACME about the invoice');
    expect(await edit.getByLabel(/^Customer/).inputValue()).toBe('ACME-42');
    expect(await scrollsSideways(page)).toBe(false);
    await edit.getByLabel(/^Title/).fill('Call back ACME about the double charge');
    await edit.getByLabel(/^Customer/).fill('');
    await edit.getByLabel('Due time').fill('16:30');
    const people = edit.getByRole('group', { name: 'Assignees' });
    await people.getByLabel(colleague.email).uncheck();
    await people.getByLabel(member.email).check();
    // The keyboard submits it too.
    await edit.getByLabel(/^Project/).press('Enter');

    await page.getByRole('heading', { level: 1, name: 'Call back ACME about the double charge' }).waitFor();
    // Assignees change through their own events (TaskAssigned/TaskUnassigned), the rest as one update.
    await expectText(page.getByRole('region', { name: 'Timeline' }), 'customer, due date, title');
    expect(await fact(page, 'Customer')).toBeNull();
    expect(await fact(page, 'Assignees')).toBe(`member of ${web.org.slug}`);
    const edited = await apiGet<{
      dueAt: string;
      customerRef: string | null;
      assignees: { kind: string; id: string }[];
      tags: string[];
    }>(`/api/tasks/${taskId}`);
    expect(edited).toMatchObject({
      customerRef: null,
      assignees: [{ kind: 'user', id: member.id }],
      tags: ['billing', 'vip'],
    });
    expect(edited.dueAt).not.toBe('2031-05-14');
    expect(new Date(edited.dueAt).getUTCFullYear()).toBe(2031);
  });

  it('says what the server refused, keeps what was typed, and fits 360 px', async () => {
    const { page } = await web.open({ viewport: 'narrowest', as: web.admin });
    await page.goto(`${web.t.url}/tasks/new`);
    const form = page.getByRole('form', { name: 'New task' });
    await form.waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await form.getByLabel(/^Title/).fill('Too many tags');
    await form.getByLabel(/^Tags/).fill(Array.from({ length: 21 }, (_, index) => `t${index}`).join(','));
    await form.getByRole('button', { name: 'Create task' }).click();
    await expectText(form.getByRole('alert'), /tags/);
    expect(await form.getByLabel(/^Title/).inputValue()).toBe('Too many tags');
  });

  it('a viewer is offered neither New task nor Edit', async () => {
    const viewer = await web.org.addUser('viewer');
    const task = await web.createTask({ type: 'refund.request', title: 'Read only for viewers' });
    const { page } = await web.open({ viewport: 'phone', as: viewer });
    await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
    expect(await page.getByRole('link', { name: 'New task' }).count()).toBe(0);
    await page.goto(`${web.t.url}/tasks/${task.id}`);
    await page.locator('.task-page.loaded').waitFor();
    expect(await page.getByRole('link', { name: 'Edit' }).count()).toBe(0);
  });

  it('looks right on a phone and on a desktop (screenshots)', async () => {
    const { template } = await kettleRefund();
    for (const viewport of ['phone', 'desktop'] as const) {
      const { page } = await web.open({ viewport, as: web.admin });
      await page.goto(`${web.t.url}/tasks/new?template=${template.id}`);
      const form = page.getByRole('form', { name: 'New task' });
      await form.getByLabel(/^Order/).fill('ORD-1042');
      await form.getByLabel(/^Amount/).fill('49.90');
      await form.getByLabel(/^Description/).fill('Customer sent a photo of the cracked lid.');
      await form.getByLabel(/^Customer/).fill('ACME-42');
      await page.evaluate('window.scrollTo(0, 0)');
      expect(await scrollsSideways(page)).toBe(false);
      await screenshot(page, `new-task-${viewport}`);
    }
  });
});

/** A registered type with a schema, a form UI schema and a layout, and a template for it. */
async function kettleRefund(): Promise<{ key: string; template: { id: string; name: string } }> {
  const key = `refund.kettle-${Math.random().toString(36).slice(2, 8)}`;
  await apiSend('POST', '/api/task-types', {
    key,
    name: 'Kettle refund',
    schema: {
      type: 'object',
      required: ['orderId', 'amount'],
      properties: {
        orderId: { type: 'string', title: 'Order', pattern: '^ORD-[0-9]+$', description: 'As on the receipt, e.g. ORD-1042' },
        amount: { type: 'number', title: 'Amount', exclusiveMinimum: 0 },
        reason: { type: 'string', title: 'Reason' },
        items: { type: 'array', title: 'Items', items: { type: 'string' } },
      },
    },
    uiSchema: { 'ui:order': ['orderId', 'amount', 'reason', 'items'], reason: { 'ui:widget': 'textarea' } },
    layout: [
      { field: '/orderId', label: 'Order', format: 'text' },
      { field: '/amount', label: 'Refund', format: 'money' },
      { field: '/items', label: 'Items', format: 'list' },
      { field: '/reason', label: 'Reason', format: 'text' },
    ],
  });
  const template = await apiSend<{ id: string; name: string }>('POST', '/api/templates', {
    name: `Kettle refund ${key.slice(-6)}`,
    type: key,
    title: 'Refund a cracked kettle',
    dueOffset: 'P3D',
    priority: 'high',
    tags: ['refund'],
    payload: { items: ['KETTLE-2'], reason: 'Cracked lid' },
  });
  return { key, template };
}

async function apiSend<T>(method: string, path: string, body: unknown): Promise<T> {
  const response = await fetch(`${web.t.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${web.org.tokens.admin}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

describe('a typed task from a template', () => {
  it('on a phone, a person creates it through the generated form, edits its assignees, and sees the type\'s layout', async () => {
    const member = await web.org.addUser('member');
    const colleague = await web.org.addUser('member');
    const { key, template } = await kettleRefund();
    const { page } = await web.open({ viewport: 'phone', as: member });
    await page.goto(`${web.t.url}/tasks/new`);
    const form = page.getByRole('form', { name: 'New task' });
    await form.waitFor();
    await page.getByLabel('Start from').selectOption({ label: `Template: ${template.name}` });
    expect(new URL(page.url()).searchParams.get('template')).toBe(template.id);

    // The template's details and payload fill the form; the type's schema makes the payload fields.
    await eventually('the template in the form', async () => (await form.getByLabel(/^Title/).inputValue()) === 'Refund a cracked kettle');
    expect(await form.getByLabel('Priority').inputValue()).toBe('high');
    expect(await form.getByLabel(/^Reason/).inputValue()).toBe('Cracked lid');
    await form.getByRole('group', { name: 'Assignees' }).getByLabel(colleague.email).check();
    await form.getByLabel(/^Order/).fill('order 7');
    await form.getByLabel(/^Amount/).fill('49.9');
    expect(await scrollsSideways(page)).toBe(false);

    // A payload the schema refuses is named beside its field, in the browser, and nothing is sent.
    await form.getByRole('button', { name: 'Create task' }).click();
    await expectText(form.locator('.payload-form'), /pattern/);
    expect(page.url()).toMatch(/\/tasks\/new/);
    await form.getByLabel(/^Order/).fill('ORD-7');
    await form.getByRole('button', { name: 'Create task' }).click();

    await page.getByRole('heading', { level: 1, name: 'Refund a cracked kettle' }).waitFor();
    await page.locator('.task-page.loaded').waitFor();
    const taskId = page.url().split('/tasks/')[1];
    // The type's layout, in its order and formats.
    const payload = page.getByRole('region', { name: 'Payload' });
    await expectText(payload, 'ORD-7');
    expect(await payload.locator('dt').allInnerTexts()).toEqual(['Order', 'Refund', 'Items', 'Reason']);
    await expectText(payload.locator('dd').nth(1), '49.90');
    await expectText(payload.locator('li'), 'KETTLE-2');
    expect(await fact(page, 'Priority')).toBe('High');
    const made = await apiGet<{ taskType: string; typeVersion: number; dueAt: string; payload: unknown; assignees: unknown[]; createdAt: string }>(
      `/api/tasks/${taskId}`,
    );
    expect(made).toMatchObject({
      taskType: key,
      typeVersion: 1,
      payload: { orderId: 'ORD-7', amount: 49.9, items: ['KETTLE-2'], reason: 'Cracked lid' },
      assignees: [{ kind: 'user', id: colleague.id }],
    });
    // Due three days after creation, from the template's offset.
    expect(Date.parse(made.dueAt) - Date.parse(made.createdAt)).toBe(3 * 86_400_000);

    // Its assignees change on the edit page.
    await page.getByRole('link', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit task' });
    const people = edit.getByRole('group', { name: 'Assignees' });
    await people.getByLabel(colleague.email).uncheck();
    await people.getByLabel(member.email).check();
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('.task-page.loaded').waitFor();
    await eventually('the member assigned instead', async () => {
      const now = await apiGet<{ assignees: { id: string }[] }>(`/api/tasks/${taskId}`);
      return now.assignees.length === 1 && now.assignees[0].id === member.id;
    });

    for (const viewport of ['phone', 'desktop'] as const) {
      const shown = await web.open({ viewport, as: member });
      await shown.page.goto(`${web.t.url}/tasks/${taskId}`);
      await shown.page.locator('.task-page.loaded').waitFor();
      await expectText(shown.page.getByRole('region', { name: 'Payload' }), 'ORD-7');
      expect(await scrollsSideways(shown.page)).toBe(false);
      await screenshot(shown.page, `task-typed-${viewport}`);
    }
  });
});

describe("the table's customer and assignee columns and filters", () => {
  it("lists a customer's, a project's or a milestone's tasks through a link that can be shared", async () => {
    const run = Math.random().toString(36).slice(2, 8);
    const acme = `ACME-${run}`;
    const assignee = await web.org.addUser('member');
    await web.createTask({
      type: 'invoice',
      title: `Invoice A ${run}`,
      customerRef: acme,
      projectRef: `shop-${run}`,
      milestoneRef: `m-${run}`,
      assignees: [assignee.id],
    });
    await web.createTask({ type: 'invoice', title: `Invoice B ${run}`, customerRef: acme, milestoneRef: `m-${run}` });
    await web.createTask({
      type: 'invoice',
      title: `Invoice C ${run}`,
      customerRef: `GLOBEX-${run}`,
      projectRef: `shop-${run}`,
    });
    const { page } = await web.open({ viewport: 'desktop', as: web.admin });
    await page.goto(`${web.t.url}/?view=table&q=${run}`);
    const rows = page.locator('.task-table tbody tr');
    await expectText(rows, `Invoice C ${run}`);
    const table = page.locator('.task-table');
    await table.getByRole('columnheader', { name: 'Customer' }).waitFor();
    await table.getByRole('columnheader', { name: 'Assignees' }).waitFor();
    const rowA = rows.filter({ hasText: `Invoice A ${run}` });
    await expectText(rowA, `member of ${web.org.slug}`);

    // A customer in a row narrows the list to that customer; the URL says so.
    await rowA.getByRole('button', { name: acme }).click();
    await eventually('the two tasks of the customer', async () => (await rows.count()) === 2);
    expect(new URL(page.url()).searchParams.get('customer')).toBe(acme);
    expect(await rows.filter({ hasText: `Invoice C ${run}` }).count()).toBe(0);

    // Someone else opens the link and sees the same list.
    const other = await web.open({ viewport: 'phone', as: web.admin });
    await other.page.goto(`${web.t.url}/?view=list&customer=${acme}`);
    const items = other.page.locator('[data-task-id]');
    await expectText(items, `Invoice B ${run}`);
    expect(await items.count()).toBe(2);

    // The project filter, typed in the filters panel, with the assignee filter.
    await page.goto(`${web.t.url}/?view=table&q=${run}`);
    await expectText(rows, `Invoice C ${run}`);
    // On a desktop the filters panel is always open.
    await page.getByLabel('Project').fill(`shop-${run}`);
    await eventually('the two tasks of the project', async () => (await rows.count()) === 2);
    expect(new URL(page.url()).searchParams.get('project')).toBe(`shop-${run}`);
    await page.getByLabel('Assignee').selectOption(assignee.id);
    await eventually('the one task of the project assigned to the member', async () => (await rows.count()) === 1);
    await expectText(rows, `Invoice A ${run}`);
    expect(new URL(page.url()).searchParams.get('assignee')).toBe(assignee.id);

    // A milestone's tasks, likewise, through a link that can be shared.
    await page.goto(`${web.t.url}/?view=table&q=${run}`);
    await expectText(rows, `Invoice C ${run}`);
    await page.getByLabel('Milestone').fill(`m-${run}`);
    await eventually('the two tasks of the milestone', async () => (await rows.count()) === 2);
    expect(new URL(page.url()).searchParams.get('milestone')).toBe(`m-${run}`);
    expect(await rows.filter({ hasText: `Invoice C ${run}` }).count()).toBe(0);
  });
});
