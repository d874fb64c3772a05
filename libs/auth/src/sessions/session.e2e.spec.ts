import { AccountService } from '@taskinbox/auth';
import { call, startTestApp, type TestApp } from '@taskinbox/testing';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ imports: [] });
});
afterAll(() => t?.close());

const login = (body: Record<string, unknown>) => call(t.url, 'POST', '/api/auth/login', { body });

describe('signing in', () => {
  it('gives a token bound to the only organisation; passwords are argon2 hashes at rest', async () => {
    const accounts = t.app.get(AccountService);
    const org = await accounts.createOrganisation('solo-org', 'Solo');
    await accounts.addMember(org.id, { email: 'Sam@Solo.test', name: 'Sam', password: 'correct horse battery', role: 'member' });

    const ok = await login({ email: 'sam@solo.test', password: 'correct horse battery' });
    expect(ok.status).toBe(200);
    expect(ok.body.organisation).toMatchObject({ id: org.id, role: 'member' });
    const me = await call(t.url, 'GET', '/api/auth/me', { token: ok.body.accessToken });
    expect(me.body).toMatchObject({ orgId: org.id, actor: { kind: 'user', role: 'member' } });

    const { rows } = await t.pool.query("SELECT password_hash FROM users WHERE email = 'sam@solo.test'");
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
  });

  it('asks a member of several organisations to choose, then signs in to the chosen one', async () => {
    const accounts = t.app.get(AccountService);
    const [a, b] = await Promise.all([accounts.createOrganisation('multi-a', 'A'), accounts.createOrganisation('multi-b', 'B')]);
    await accounts.addMember(a.id, { email: 'kim@multi.test', name: 'Kim', password: 'kim password 1', role: 'admin' });
    await accounts.addMember(b.id, { email: 'kim@multi.test', name: 'Kim', password: 'ignored for existing users', role: 'viewer' });

    const choose = await login({ email: 'kim@multi.test', password: 'kim password 1' });
    expect(choose.status).toBe(200);
    expect(choose.body.accessToken).toBeUndefined();
    expect(choose.body.organisations.map((o: { slug: string }) => o.slug).sort()).toEqual(['multi-a', 'multi-b']);

    const intoB = await login({ email: 'kim@multi.test', password: 'kim password 1', organisationId: b.id });
    expect(intoB.body.organisation).toMatchObject({ id: b.id, role: 'viewer' });
  });

  it('answers a wrong password and an unknown email the same way (401)', async () => {
    const wrong = await login({ email: 'sam@solo.test', password: 'nope' });
    const unknown = await login({ email: 'nobody@solo.test', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.message).toBe(unknown.body.message);
  });

  it('signing out ends that session on its next request, and only that one', async () => {
    const accounts = t.app.get(AccountService);
    const org = await accounts.createOrganisation('signout-org', 'Sign-out');
    await accounts.addMember(org.id, { email: 'lee@signout.test', name: 'Lee', password: 'lee password 1', role: 'member' });
    const phone = (await login({ email: 'lee@signout.test', password: 'lee password 1' })).body.accessToken;
    const laptop = (await login({ email: 'lee@signout.test', password: 'lee password 1' })).body.accessToken;

    expect((await call(t.url, 'POST', '/api/auth/logout', { token: phone })).status).toBe(204);
    const after = await call(t.url, 'GET', '/api/auth/me', { token: phone });
    expect(after.status).toBe(401);
    expect((await call(t.url, 'POST', '/api/auth/logout', { token: phone })).status).toBe(401);
    expect((await call(t.url, 'GET', '/api/auth/me', { token: laptop })).status).toBe(200);
    const { rows } = await t.pool.query(
      "SELECT count(*) FILTER (WHERE ended_at IS NOT NULL)::int AS ended, count(*)::int AS all FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = 'lee@signout.test'",
    );
    expect(rows[0]).toEqual({ ended: 1, all: 2 });
  });

  it('API keys have no session to end (403)', async () => {
    const org = await t.createOrganisation('keys');
    expect((await call(t.url, 'POST', '/api/auth/logout', { token: org.tokens.service })).status).toBe(403);
  });

  it('refuses a forged or expired-looking token', async () => {
    const forged = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4Iiwib3JnIjoieSIsInJvbGUiOiJhZG1pbiJ9.c2lnbmF0dXJl';
    expect((await call(t.url, 'GET', '/api/auth/me', { token: forged })).status).toBe(401);
  });
});
