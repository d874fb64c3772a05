import { call, startTestApp, type TestApp, type TestOrganisation } from '@taskinbox/testing';

let t: TestApp;
let acme: TestOrganisation;
let globex: TestOrganisation;

beforeAll(async () => {
  t = await startTestApp({ imports: [] });
  [acme, globex] = await Promise.all([t.createOrganisation('acme'), t.createOrganisation('globex')]);
});
afterAll(() => t?.close());

const groupsOf = async (org: TestOrganisation) => (await call(t.url, 'GET', '/api/user-groups', { token: org.tokens.viewer })).body;

describe('user groups', () => {
  it('hold members of the same organisation only', async () => {
    const group = await call(t.url, 'POST', '/api/user-groups', { token: acme.tokens.admin, body: { name: 'on-call' } });
    expect(group.status).toBe(201);
    const join = (userId: string) => call(t.url, 'POST', `/api/user-groups/${group.body.id}/members`, { token: acme.tokens.admin, body: { userId } });
    expect((await join(acme.userIds.member)).status).toBe(204);
    expect((await join(acme.userIds.member)).status).toBe(204);
    expect((await join(globex.userIds.member)).status).toBe(404);
    expect(await groupsOf(acme)).toEqual([{ id: group.body.id, name: 'on-call', members: [acme.userIds.member] }]);
    const duplicate = await call(t.url, 'POST', '/api/user-groups', { token: acme.tokens.admin, body: { name: 'on-call' } });
    expect(duplicate.status).toBe(409);
  });

  it('are renamed, lose members and are deleted by an admin', async () => {
    const { body: group } = await call(t.url, 'POST', '/api/user-groups', { token: acme.tokens.admin, body: { name: 'night shift' } });
    await call(t.url, 'POST', `/api/user-groups/${group.id}/members`, { token: acme.tokens.admin, body: { userId: acme.userIds.viewer } });
    await call(t.url, 'POST', `/api/user-groups/${group.id}/members`, { token: acme.tokens.admin, body: { userId: acme.userIds.admin } });

    expect((await call(t.url, 'PATCH', `/api/user-groups/${group.id}`, { token: acme.tokens.admin, body: { name: 'late shift' } })).status).toBe(204);
    const taken = await call(t.url, 'PATCH', `/api/user-groups/${group.id}`, { token: acme.tokens.admin, body: { name: 'on-call' } });
    expect(taken.body).toMatchObject({ statusCode: 409, message: "A group named 'on-call' already exists." });
    expect((await call(t.url, 'PATCH', `/api/user-groups/${group.id}`, { token: acme.tokens.admin, body: { name: '' } })).status).toBe(400);

    expect((await call(t.url, 'DELETE', `/api/user-groups/${group.id}/members/${acme.userIds.viewer}`, { token: acme.tokens.admin })).status).toBe(204);
    expect((await call(t.url, 'DELETE', `/api/user-groups/${group.id}/members/${acme.userIds.viewer}`, { token: acme.tokens.admin })).status).toBe(404);
    expect((await groupsOf(acme)).find((g: { id: string }) => g.id === group.id)).toEqual({ id: group.id, name: 'late shift', members: [acme.userIds.admin] });

    expect((await call(t.url, 'DELETE', `/api/user-groups/${group.id}`, { token: acme.tokens.admin })).status).toBe(204);
    expect((await groupsOf(acme)).map((g: { id: string }) => g.id)).not.toContain(group.id);
    // The people stay in the organisation.
    const people = await call(t.url, 'GET', '/api/users', { token: acme.tokens.admin });
    expect(people.body.map((u: { id: string }) => u.id)).toEqual(expect.arrayContaining([acme.userIds.admin, acme.userIds.viewer]));
    expect((await call(t.url, 'DELETE', `/api/user-groups/${group.id}`, { token: acme.tokens.admin })).status).toBe(404);
  });

  it('are managed by admins of the same organisation only', async () => {
    const { body: group } = await call(t.url, 'POST', '/api/user-groups', { token: acme.tokens.admin, body: { name: 'kept' } });
    await call(t.url, 'POST', `/api/user-groups/${group.id}/members`, { token: acme.tokens.admin, body: { userId: acme.userIds.member } });
    const attempts = [
      ['POST', '/api/user-groups', { name: 'mine' }],
      ['PATCH', `/api/user-groups/${group.id}`, { name: 'taken over' }],
      ['DELETE', `/api/user-groups/${group.id}`, undefined],
      ['POST', `/api/user-groups/${group.id}/members`, { userId: acme.userIds.viewer }],
      ['DELETE', `/api/user-groups/${group.id}/members/${acme.userIds.member}`, undefined],
    ] as const;
    for (const [method, path, body] of attempts) {
      for (const token of [acme.tokens.member, acme.tokens.viewer, acme.tokens.service]) {
        expect((await call(t.url, method, path, { token, body })).status).toBe(403);
      }
      if (path !== '/api/user-groups') expect((await call(t.url, method, path, { token: globex.tokens.admin, body })).status).toBe(404);
    }
    expect((await groupsOf(acme)).find((g: { id: string }) => g.id === group.id)).toEqual({ id: group.id, name: 'kept', members: [acme.userIds.member] });
    expect((await groupsOf(globex)).map((g: { id: string }) => g.id)).not.toContain(group.id);
  });
});
