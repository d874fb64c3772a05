import { call, startTestApp, type TestApp, type TestOrganisation } from '@taskinbox/testing';

let t: TestApp;
let acme: TestOrganisation;
let globex: TestOrganisation;

beforeAll(async () => {
  t = await startTestApp({ imports: [] });
  [acme, globex] = await Promise.all([t.createOrganisation('acme'), t.createOrganisation('globex')]);
});
afterAll(() => t?.close());

describe('users and roles', () => {
  it('an admin adds a user who can then sign in with that role, and changes the role', async () => {
    const added = await call(t.url, 'POST', '/api/users', {
      token: acme.tokens.admin,
      body: { email: 'new.person@acme.test', name: 'New Person', password: 'a long enough password', role: 'viewer' },
    });
    expect(added.status).toBe(201);
    const login = await call(t.url, 'POST', '/api/auth/login', { body: { email: 'new.person@acme.test', password: 'a long enough password' } });
    expect(login.body.organisation).toMatchObject({ id: acme.id, role: 'viewer' });

    expect((await call(t.url, 'PATCH', `/api/users/${added.body.id}`, { token: acme.tokens.admin, body: { role: 'member' } })).status).toBe(204);
    const relogin = await call(t.url, 'POST', '/api/auth/login', { body: { email: 'new.person@acme.test', password: 'a long enough password' } });
    expect(relogin.body.organisation.role).toBe('member');
  });

  it('members cannot manage users; nobody sees another organisation’s people', async () => {
    const refused = await call(t.url, 'POST', '/api/users', {
      token: acme.tokens.member,
      body: { email: 'x@acme.test', name: 'X', password: 'a long enough password', role: 'admin' },
    });
    expect(refused.status).toBe(403);
    const listed = await call(t.url, 'GET', '/api/users', { token: globex.tokens.viewer });
    expect(listed.body.map((u: { id: string }) => u.id)).not.toContain(acme.userIds.admin);
    expect((await call(t.url, 'PATCH', `/api/users/${acme.userIds.member}`, { token: globex.tokens.admin, body: { role: 'admin' } })).status).toBe(404);
  });
});
