import { InvitationService } from '@taskinbox/auth';
import { call, startTestApp, type TestApp } from '@taskinbox/testing';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ imports: [] });
});
afterAll(() => t?.close());

const login = (body: Record<string, unknown>) => call(t.url, 'POST', '/api/auth/login', { body });

describe('signing in', () => {
  it('gives a token bound to the only organisation; passwords are argon2 hashes at rest', async () => {
    const org = await t.createOrganisation('solo');
    const sam = await org.addUser('member');

    const ok = await login({ email: sam.email.toUpperCase(), password: sam.password });
    expect(ok.status).toBe(200);
    expect(ok.body.organisation).toMatchObject({ id: org.id, role: 'member' });
    const me = await call(t.url, 'GET', '/api/auth/me', { token: ok.body.accessToken });
    expect(me.body).toMatchObject({ orgId: org.id, actor: { kind: 'user', id: sam.id, role: 'member' }, session: { mustChangePassword: false } });

    const { rows } = await t.pool.query('SELECT password_hash FROM users WHERE id = $1', [sam.id]);
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
  });

  it('asks a member of several organisations to choose, then signs in to the chosen one', async () => {
    const [a, b] = await Promise.all([t.createOrganisation('multi-a'), t.createOrganisation('multi-b')]);
    const kim = await a.addUser('admin');
    const invitations = t.app.get(InvitationService);
    const { link } = await invitations.invite(b.id, kim.email, 'viewer', null);
    await invitations.accept(link.slice(link.indexOf('#') + 1), { newAccount: false, password: kim.password }, '127.0.0.1');

    const choose = await login({ email: kim.email, password: kim.password });
    expect(choose.status).toBe(200);
    expect(choose.body.accessToken).toBeUndefined();
    expect(choose.body.organisations.map((o: { id: string }) => o.id).sort()).toEqual([a.id, b.id].sort());

    const intoB = await login({ email: kim.email, password: kim.password, organisationId: b.id });
    expect(intoB.body.organisation).toMatchObject({ id: b.id, role: 'viewer' });
  });

  it('answers a wrong password and an unknown email the same way (401)', async () => {
    const org = await t.createOrganisation('same');
    const wrong = await login({ email: (await org.addUser('viewer')).email, password: 'nope' });
    const unknown = await login({ email: 'nobody@solo.test', password: 'nope' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.message).toBe(unknown.body.message);
  });

  it('signing out ends that session on its next request, and only that one', async () => {
    const org = await t.createOrganisation('signout');
    const lee = await org.addUser('member');
    const phone = (await login({ email: lee.email, password: lee.password })).body.accessToken;
    const laptop = (await login({ email: lee.email, password: lee.password })).body.accessToken;

    expect((await call(t.url, 'POST', '/api/auth/logout', { token: phone })).status).toBe(204);
    expect((await call(t.url, 'GET', '/api/auth/me', { token: phone })).status).toBe(401);
    expect((await call(t.url, 'POST', '/api/auth/logout', { token: phone })).status).toBe(401);
    expect((await call(t.url, 'GET', '/api/auth/me', { token: laptop })).status).toBe(200);
    expect((await call(t.url, 'GET', '/api/auth/me', { token: lee.token })).status).toBe(200);
    const { rows } = await t.pool.query(
      'SELECT count(*) FILTER (WHERE ended_at IS NOT NULL)::int AS ended, count(*)::int AS all FROM sessions WHERE user_id = $1',
      [lee.id],
    );
    expect(rows[0]).toEqual({ ended: 1, all: 3 });
  });

  it('API keys have no session to end (403)', async () => {
    const org = await t.createOrganisation('keys');
    expect((await call(t.url, 'POST', '/api/auth/logout', { token: org.tokens.service })).status).toBe(403);
  });

  it('refuses a forged token, and a signed one without a session', async () => {
    const forged = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4Iiwib3JnIjoieSIsInJvbGUiOiJhZG1pbiJ9.c2lnbmF0dXJl';
    expect((await call(t.url, 'GET', '/api/auth/me', { token: forged })).status).toBe(401);
    // Tokens signed before sessions existed carried the role; they are not accepted any more.
    const { JwtService } = await import('@nestjs/jwt');
    const org = await t.createOrganisation('old');
    const old = new JwtService().sign({ sub: org.userIds.viewer, org: org.id, role: 'admin' }, { secret: t.config.jwtSecret });
    expect((await call(t.url, 'GET', '/api/auth/me', { token: old })).status).toBe(401);
  });
});
