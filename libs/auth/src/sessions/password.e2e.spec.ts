import { randomBytes } from 'node:crypto';
import { AccountService } from '@taskinbox/auth';
import { call, startTestApp, type TestApp, type TestOrganisation } from '@taskinbox/testing';

let t: TestApp;
let acme: TestOrganisation;
let globex: TestOrganisation;

beforeAll(async () => {
  t = await startTestApp({ imports: [] });
  [acme, globex] = await Promise.all([t.createOrganisation('acme'), t.createOrganisation('globex')]);
});
afterAll(() => t?.close());

const login = (email: string, password: string, organisationId?: string) =>
  call(t.url, 'POST', '/api/auth/login', { body: { email, password, organisationId } });
const me = (token: string) => call(t.url, 'GET', '/api/auth/me', { token });
const change = (token: string, currentPassword: string, newPassword: string) =>
  call(t.url, 'POST', '/api/auth/password', { token, body: { currentPassword, newPassword } });
const tokenOf = (link: string) => link.slice(link.indexOf('#') + 1);

describe('changing your own password', () => {
  it('ends your other sessions, everywhere, and keeps this one', async () => {
    const sam = await acme.addUser('member');
    await t.pool.query(`INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'viewer')`, [globex.id, sam.id]);
    const laptop = (await login(sam.email, sam.password, acme.id)).body.accessToken;
    const elsewhere = (await login(sam.email, sam.password, globex.id)).body.accessToken;

    const wrong = await change(sam.token, 'not my password', 'a brand new password');
    expect(wrong.body).toMatchObject({ statusCode: 403, details: { code: 'wrong_password' } });
    expect((await change(sam.token, sam.password, 'short')).status).toBe(400);

    expect((await change(sam.token, sam.password, 'a brand new password')).status).toBe(204);
    expect((await me(sam.token)).status).toBe(200);
    expect((await me(laptop)).status).toBe(401);
    expect((await me(elsewhere)).status).toBe(401);
    expect((await login(sam.email, sam.password, acme.id)).status).toBe(401);
    expect((await login(sam.email, 'a brand new password', acme.id)).status).toBe(200);
  });

  it('is for people: an API key has no password to change', async () => {
    expect((await change(acme.tokens.service, 'x', 'a brand new password')).status).toBe(403);
  });
});

describe('the first admin', () => {
  it('must change the generated password before anything else; the API says so with a code', async () => {
    const accounts = t.app.get(AccountService);
    const org = await accounts.createOrganisation(`first-${randomBytes(3).toString('hex')}`, 'First');
    const email = `first-${randomBytes(3).toString('hex')}@example.test`;
    await accounts.createFirstAdmin(org.id, email, 'generated-password-1');

    const signIn = await login(email, 'generated-password-1');
    expect(signIn.status).toBe(200);
    const token = signIn.body.accessToken;
    const refused = await call(t.url, 'GET', '/api/users', { token });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ details: { code: 'password_change_required' } });
    expect((await call(t.url, 'POST', '/api/invitations', { token, body: { email: 'x@example.test', role: 'admin' } })).status).toBe(403);
    expect((await me(token)).body.session.mustChangePassword).toBe(true);

    expect((await change(token, 'generated-password-1', 'my own admin password')).status).toBe(204);
    expect((await me(token)).body.session.mustChangePassword).toBe(false);
    expect((await call(t.url, 'GET', '/api/users', { token })).status).toBe(200);
  });
});

describe('password reset links', () => {
  const issue = (org: TestOrganisation, userId: string, token = org.tokens.admin) =>
    call(t.url, 'POST', `/api/users/${userId}/password-reset`, { token });
  const complete = (link: string, password: string) =>
    call(t.url, 'POST', '/api/password-resets/complete', { body: { token: tokenOf(link), password } });

  it('an admin gets a single-use link for a person of their own; using it sets the password and ends every session', async () => {
    const lee = await acme.addUser('viewer');
    const issued = await issue(acme, lee.id);
    expect(issued.status).toBe(201);
    expect(issued.body).toEqual({ link: expect.stringMatching(/\/reset-password#[A-Za-z0-9_-]{43}$/), expiresAt: expect.any(String) });
    const stored = await t.pool.query('SELECT * FROM password_resets WHERE user_id = $1', [lee.id]);
    expect(JSON.stringify(stored.rows)).not.toContain(tokenOf(issued.body.link));
    // Lee still signs in with the old password until the link is used.
    expect((await me(lee.token)).status).toBe(200);

    const looked = await call(t.url, 'POST', '/api/password-resets/lookup', { body: { token: tokenOf(issued.body.link) } });
    expect(looked.body).toEqual({ email: lee.email, expiresAt: issued.body.expiresAt });
    expect((await complete(issued.body.link, 'lee picked this')).status).toBe(204);
    expect((await me(lee.token)).status).toBe(401);
    expect((await login(lee.email, lee.password)).status).toBe(401);
    expect((await login(lee.email, 'lee picked this')).status).toBe(200);
    expect((await complete(issued.body.link, 'and once more please')).body).toMatchObject({ statusCode: 410, details: { code: 'link_invalid' } });

    const expired = await issue(acme, lee.id);
    await t.pool.query("UPDATE password_resets SET expires_at = now() - interval '1 second' WHERE user_id = $1", [lee.id]);
    expect((await complete(expired.body.link, 'too late for this')).status).toBe(410);
  });

  it("is refused for an account another organisation also has, and for other organisations' people", async () => {
    const shared = await acme.addUser('member');
    await t.pool.query(`INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'admin')`, [globex.id, shared.id]);
    expect((await issue(acme, shared.id)).body).toMatchObject({ statusCode: 409, details: { code: 'account_shared' } });
    expect((await issue(globex, acme.userIds.viewer)).status).toBe(404);
    for (const token of [acme.tokens.member, acme.tokens.viewer, acme.tokens.service]) {
      expect((await issue(acme, acme.userIds.viewer, token)).status).toBe(403);
    }
    expect((await t.pool.query('SELECT 1 FROM password_resets WHERE user_id = $1', [acme.userIds.viewer])).rowCount).toBe(0);
  });
});
