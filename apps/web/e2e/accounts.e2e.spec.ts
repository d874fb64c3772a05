import { randomBytes } from 'node:crypto';
import { AccountService } from '@taskinbox/auth';
import { call } from '@taskinbox/testing';
import { expectText, screenshot, scrollsSideways, startWebApp, type WebApp } from './web-app.fixture';

jest.setTimeout(60_000);

let web: WebApp;
beforeAll(async () => {
  web = await startWebApp();
});
afterAll(async () => {
  await web?.close();
});

const invite = async (email: string, role = 'member'): Promise<string> => {
  const issued = await call(web.t.url, 'POST', '/api/invitations', { token: web.admin.token, body: { email, role } });
  expect(issued.status).toBe(201);
  // The links point at PUBLIC_URL; the test app listens elsewhere.
  return `${web.t.url}${new URL(issued.body.link).pathname}${new URL(issued.body.link).hash}`;
};
const storedToken = (page: import('playwright-core').Page) =>
  page.evaluate<string | undefined>('JSON.parse(localStorage.getItem("taskinbox.session") ?? "null")?.token');

describe('accounts in the browser', () => {
  it('someone new accepts an invitation on a phone with a password of their own, and signing out ends the session', async () => {
    const email = `robin-${randomBytes(3).toString('hex')}@example.test`;
    const link = await invite(email);
    const { page } = await web.open({ viewport: 'phone' });
    await page.goto(link);
    await expectText(page.locator('main'), `You are invited to web as member, with the e-mail ${email}.`);
    // The token leaves the address bar as soon as the page has read it.
    expect(new URL(page.url()).hash).toBe('');
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'invitation-phone');

    const form = page.getByRole('form', { name: 'Accept the invitation' });
    await form.getByLabel('Your name').fill('Robin Example');
    await form.getByLabel('Choose a password').fill('robin chose this');
    await form.getByLabel('The same password again').fill('robin chose this too');
    await form.getByRole('button', { name: 'Join web' }).click();
    await expectText(form.getByRole('alert'), 'The two passwords differ');
    await form.getByLabel('The same password again').fill('robin chose this');
    await form.getByRole('button', { name: 'Join web' }).click();
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();

    const token = await storedToken(page);
    expect((await call(web.t.url, 'GET', '/api/auth/me', { token })).body.actor.role).toBe('member');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect((await call(web.t.url, 'GET', '/api/auth/me', { token })).status).toBe(401);

    // The link worked once.
    const again = await web.open({ viewport: 'phone' });
    await again.page.goto(link);
    await expectText(again.page.getByRole('alert'), 'This invitation link is not valid');
  });

  it('someone with an account joins with the password they already have', async () => {
    const elsewhere = await web.t.createOrganisation('elsewhere');
    const kim = await elsewhere.addUser('viewer');
    const link = await invite(kim.email, 'admin');
    const { page } = await web.open({ viewport: 'phone' });
    await page.goto(link);
    await page.getByLabel('I already have an account').check();
    const form = page.getByRole('form', { name: 'Accept the invitation' });
    expect(await form.getByLabel('Your name').count()).toBe(0);
    await form.getByLabel('Your password').fill('not kims password');
    await form.getByRole('button', { name: 'Join web' }).click();
    await expectText(form.getByRole('alert'), 'That password does not match an account for this e-mail.');
    await form.getByLabel('Your password').fill(kim.password);
    await form.getByRole('button', { name: 'Join web' }).click();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Admin' }).waitFor();
    await expectText(page.locator('.who'), 'web');
  });

  it('the first admin must choose their own password before anything else opens', async () => {
    const email = `first-${randomBytes(3).toString('hex')}@example.test`;
    await web.t.app.get(AccountService).createFirstAdmin(web.org.id, email, 'generated-password');
    const { page } = await web.open({ viewport: 'phone' });
    await page.goto(web.t.url);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('generated-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Choose your password' }).waitFor();
    expect(await page.getByRole('navigation', { name: 'Sections' }).count()).toBe(0);
    // Going round the page does not help: the API refuses everything else until then.
    const token = await storedToken(page);
    expect((await call(web.t.url, 'GET', '/api/inbox/tasks', { token })).body.details.code).toBe('password_change_required');
    await page.goto(`${web.t.url}/admin/users`);
    await page.getByRole('heading', { name: 'Choose your password' }).waitFor();

    await page.getByLabel('Current password').fill('generated-password');
    await page.getByLabel('New password', { exact: true }).fill('my very own password');
    await page.getByLabel('New password again').fill('my very own password');
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await page.getByRole('heading', { name: 'Users and roles' }).waitFor();
    expect((await call(web.t.url, 'POST', '/api/auth/login', { body: { email, password: 'generated-password' } })).status).toBe(401);
  });

  it('changing your password signs out your other devices; removal signs a person out of the page', async () => {
    const sam = await web.org.addUser('member');
    const phone = await web.open({ viewport: 'phone', as: sam });
    const laptop = await web.open({ as: sam });
    await laptop.page.goto(`${web.t.url}/account`);
    await laptop.page.getByLabel('Current password').fill(sam.password);
    await laptop.page.getByLabel('New password', { exact: true }).fill('sam has a new one');
    await laptop.page.getByLabel('New password again').fill('sam has a new one');
    await laptop.page.getByRole('button', { name: 'Change password' }).click();
    await expectText(laptop.page.getByRole('status'), 'Your other sessions, on other devices, have been signed out.');
    await phone.page.getByRole('link', { name: 'Stats' }).click();
    await phone.page.getByRole('button', { name: 'Sign in' }).waitFor();

    expect((await call(web.t.url, 'DELETE', `/api/users/${sam.id}`, { token: web.admin.token })).status).toBe(204);
    await laptop.page.getByRole('link', { name: 'Inbox' }).click();
    await laptop.page.getByRole('button', { name: 'Sign in' }).waitFor();
  });
});
