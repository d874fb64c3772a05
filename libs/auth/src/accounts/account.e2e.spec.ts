import { call, startTestApp, type TestApp, type TestOrganisation } from '@taskinbox/testing';

let t: TestApp;
let acme: TestOrganisation;
let globex: TestOrganisation;

beforeAll(async () => {
  t = await startTestApp({ imports: [] });
  [acme, globex] = await Promise.all([t.createOrganisation('acme'), t.createOrganisation('globex')]);
});
afterAll(() => t?.close());

describe('users, roles and groups', () => {
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

  it('groups hold members of the same organisation only', async () => {
    const group = await call(t.url, 'POST', '/api/user-groups', { token: acme.tokens.admin, body: { name: 'on-call' } });
    expect(group.status).toBe(201);
    const join = (userId: string) => call(t.url, 'POST', `/api/user-groups/${group.body.id}/members`, { token: acme.tokens.admin, body: { userId } });
    expect((await join(acme.userIds.member)).status).toBe(204);
    expect((await join(globex.userIds.member)).status).toBe(404);
    const groups = await call(t.url, 'GET', '/api/user-groups', { token: acme.tokens.viewer });
    expect(groups.body).toEqual([{ id: group.body.id, name: 'on-call', members: [acme.userIds.member] }]);
    const duplicate = await call(t.url, 'POST', '/api/user-groups', { token: acme.tokens.admin, body: { name: 'on-call' } });
    expect(duplicate.status).toBe(409);
  });
});
