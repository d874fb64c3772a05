import { expectText, type Person, startWebApp, type WebApp } from './web-app.fixture';

jest.setTimeout(60_000);

let web: WebApp;
beforeAll(async () => {
  web = await startWebApp();
});
afterAll(async () => {
  await web?.close();
});

describe('signing in', () => {
  it('refuses a wrong password with a readable message and no session', async () => {
    const { page } = await web.open();
    await page.goto(web.t.url);
    await page.getByLabel('Email').fill(web.admin.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.getByRole('alert'), 'Wrong email or password.');
    expect(await page.evaluate(() => localStorage.getItem('taskinbox.session'))).toBeNull();
  });

  it('signs in and lands on the inbox; a deep link survives a reload', async () => {
    const { page } = await web.open({ as: web.admin });
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    await page.goto(`${web.t.url}/stats`);
    await page.getByRole('heading', { name: 'Stats' }).waitFor();
  });

  it('asks a member of several organisations which one to open', async () => {
    const other = await web.t.createOrganisation('second');
    const person: Person = web.admin;
    await web.t.pool.query(`INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'member')`, [
      other.id,
      person.id,
    ]);
    const { page } = await web.open();
    await page.goto(web.t.url);
    await page.getByLabel('Email').fill(person.email);
    await page.getByLabel('Password').fill(person.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Choose an organisation' }).waitFor();
    await page.getByRole('button', { name: /second/ }).click();
    await page.getByRole('navigation', { name: 'Sections' }).waitFor();
    await expectText(page.locator('.who'), 'second');
    // A member sees no admin section.
    expect(await page.getByRole('link', { name: 'Admin' }).count()).toBe(0);
  });
});
