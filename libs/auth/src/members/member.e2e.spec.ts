import { call, startTestApp, type TestApp, type TestOrganisation } from '@taskinbox/testing';

let t: TestApp;
let acme: TestOrganisation;
let globex: TestOrganisation;

beforeAll(async () => {
  t = await startTestApp({ imports: [] });
  [acme, globex] = await Promise.all([t.createOrganisation('acme'), t.createOrganisation('globex')]);
});
afterAll(() => t?.close());

const login = (email: string, password: string) => call(t.url, 'POST', '/api/auth/login', { body: { email, password } });
const me = (token: string) => call(t.url, 'GET', '/api/auth/me', { token });
const listed = async (token: string) => (await call(t.url, 'GET', '/api/users', { token })).body as { id: string; blocked: boolean; role: string }[];

describe('people of an organisation', () => {
  it('a blocked person can neither act with the session they hold nor sign in, until unblocked', async () => {
    const sam = await acme.addUser('member');
    expect((await call(t.url, 'POST', `/api/users/${sam.id}/block`, { token: acme.tokens.admin })).status).toBe(204);
    expect((await me(sam.token)).status).toBe(401);
    const signIn = await login(sam.email, sam.password);
    expect(signIn.status).toBe(403);
    expect(signIn.body).toMatchObject({ message: 'An administrator has blocked your access to this organisation.', details: { code: 'membership_blocked' } });
    expect((await listed(acme.tokens.viewer)).find((u) => u.id === sam.id)).toMatchObject({ blocked: true, role: 'member' });

    expect((await call(t.url, 'POST', `/api/users/${sam.id}/unblock`, { token: acme.tokens.admin })).status).toBe(204);
    // The old session stays ended; a new sign-in works.
    expect((await me(sam.token)).status).toBe(401);
    const again = await login(sam.email, sam.password);
    expect(again.status).toBe(200);
    expect((await me(again.body.accessToken)).body.actor).toMatchObject({ id: sam.id, role: 'member' });
  });

  it('a removed person loses the organisation at once; their account stays for other organisations', async () => {
    const kim = await acme.addUser('viewer');
    await t.pool.query(`INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, 'member')`, [globex.id, kim.id]);
    const group = await call(t.url, 'POST', '/api/user-groups', { token: acme.tokens.admin, body: { name: 'leavers' } });
    await call(t.url, 'POST', `/api/user-groups/${group.body.id}/members`, { token: acme.tokens.admin, body: { userId: kim.id } });

    expect((await call(t.url, 'DELETE', `/api/users/${kim.id}`, { token: acme.tokens.admin })).status).toBe(204);
    expect((await me(kim.token)).status).toBe(401);
    expect((await listed(acme.tokens.admin)).map((u) => u.id)).not.toContain(kim.id);
    const groups = await call(t.url, 'GET', '/api/user-groups', { token: acme.tokens.admin });
    expect(groups.body.find((g: { id: string }) => g.id === group.body.id).members).toEqual([]);
    // Signing in now lands in the organisation that still has them.
    const signIn = await login(kim.email, kim.password);
    expect(signIn.body.organisation).toMatchObject({ id: globex.id, role: 'member' });
    expect((await call(t.url, 'DELETE', `/api/users/${kim.id}`, { token: acme.tokens.admin })).status).toBe(404);
  });

  it('keeps an admin who is not blocked: the last one cannot be demoted, blocked or removed', async () => {
    const solo = await t.createOrganisation('solo');
    const only = solo.userIds.admin;
    const refusals = await Promise.all([
      call(t.url, 'PATCH', `/api/users/${only}`, { token: solo.tokens.admin, body: { role: 'member' } }),
      call(t.url, 'DELETE', `/api/users/${only}`, { token: solo.tokens.admin }),
    ]);
    for (const refusal of refusals) expect(refusal.body).toMatchObject({ statusCode: 409, details: { code: 'last_admin' } });
    const self = await call(t.url, 'POST', `/api/users/${only}/block`, { token: solo.tokens.admin });
    expect(self.body).toMatchObject({ statusCode: 409, message: 'You cannot block yourself.' });
    // Two admins demoting each other at the same moment: one of them stays admin.
    const second = await solo.addUser('admin');
    const [a, b] = await Promise.all([
      call(t.url, 'PATCH', `/api/users/${second.id}`, { token: solo.tokens.admin, body: { role: 'member' } }),
      call(t.url, 'PATCH', `/api/users/${only}`, { token: second.token, body: { role: 'member' } }),
    ]);
    // The loser was either already demoted when it asked (403) or would have left none (409).
    expect([a.status, b.status].filter((status) => status === 204)).toHaveLength(1);
    expect([a.status, b.status].filter((status) => status === 403 || status === 409)).toHaveLength(1);
    expect((await listed(solo.tokens.viewer)).filter((u) => u.role === 'admin')).toHaveLength(1);
  });

  it('are managed by admins of the same organisation only', async () => {
    const target = acme.userIds.viewer;
    const attempts = [
      ['PATCH', `/api/users/${target}`, { role: 'admin' }],
      ['POST', `/api/users/${target}/block`, undefined],
      ['POST', `/api/users/${target}/unblock`, undefined],
      ['DELETE', `/api/users/${target}`, undefined],
    ] as const;
    for (const [method, path, body] of attempts) {
      for (const token of [acme.tokens.member, acme.tokens.viewer, acme.tokens.service]) {
        expect((await call(t.url, method, path, { token, body })).status).toBe(403);
      }
      expect((await call(t.url, method, path, { token: globex.tokens.admin, body })).status).toBe(404);
    }
    expect((await me(acme.tokens.viewer)).status).toBe(200);
    expect((await listed(globex.tokens.admin)).map((u) => u.id)).not.toContain(target);
  });
});
