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
    for (const viewport of ['phone', 'desktop'] as const) {
      const { page } = await web.open({ viewport, as: web.admin });
      await page.goto(`${web.t.url}/tasks/new`);
      const form = page.getByRole('form', { name: 'New task' });
      await form.getByLabel(/^Title/).fill('Replace the broken kettle for order ORD-1042');
      await form.getByLabel(/^Description/).fill('Customer sent a photo of the cracked lid.');
      await form.getByLabel('Priority').selectOption('high');
      await form.getByLabel(/^Tags/).fill('refund, vip');
      await form.getByLabel(/^Customer/).fill('ACME-42');
      await page.evaluate('window.scrollTo(0, 0)');
      expect(await scrollsSideways(page)).toBe(false);
      await screenshot(page, `new-task-${viewport}`);
    }
  });
});

describe("the table's customer and assignee columns and filters", () => {
  it("lists a customer's or a project's tasks through a link that can be shared", async () => {
    const run = Math.random().toString(36).slice(2, 8);
    const acme = `ACME-${run}`;
    const assignee = await web.org.addUser('member');
    await web.createTask({
      type: 'invoice',
      title: `Invoice A ${run}`,
      customerRef: acme,
      projectRef: `shop-${run}`,
      assignees: [assignee.id],
    });
    await web.createTask({ type: 'invoice', title: `Invoice B ${run}`, customerRef: acme });
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
  });
});
