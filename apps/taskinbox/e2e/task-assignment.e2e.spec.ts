import { call, type TestApp, type TestOrganisation } from '@taskinbox/testing';
import { projected, startOneProcessApp } from './one-process.fixture';

// Issue 15 (Assignment): people and groups of the organisation, checked; self-assign; "assigned
// to me" in the inbox; an assignment is a suggestion and the claim stays the lock.
jest.setTimeout(60_000);

let t: TestApp;
let acme: TestOrganisation;
let globex: TestOrganisation;
let memberEmail: string;
let groupId: string;

beforeAll(async () => {
  t = await startOneProcessApp();
  [acme, globex] = await Promise.all([t.createOrganisation('acme'), t.createOrganisation('globex')]);
  memberEmail = (await t.pool.query('SELECT email FROM users WHERE id = $1', [acme.userIds.member])).rows[0].email;
  groupId = (await api('POST', '/api/user-groups', acme.tokens.admin, { name: 'Refunds' })).body.id;
  expect((await api('POST', `/api/user-groups/${groupId}/members`, acme.tokens.admin, { userId: acme.userIds.member })).status).toBe(204);
});
afterAll(() => t?.close());

const api = (method: string, path: string, token: string, body?: unknown) => call(t.url, method, path, { token, body });
const eventCount = async (): Promise<number> => Number((await t.pool.query('SELECT count(*) AS n FROM es_events')).rows[0].n);

it('a sender names assignees by e-mail, id or {kind, id}; the task shows them with their names', async () => {
  const created = await api('POST', '/api/tasks', acme.tokens.service, {
    type: 'refund.request',
    title: 'Refund 1',
    assignees: [memberEmail, { kind: 'group', id: groupId }],
  });
  expect(created.status).toBe(201);
  expect(created.body.assignees).toEqual([
    { kind: 'user', id: acme.userIds.member, name: `member of ${acme.slug}` },
    { kind: 'group', id: groupId, name: 'Refunds' },
  ]);
});

it('refuses an assignee who is not of the organisation with a 400 naming it, and writes nothing', async () => {
  const before = await eventCount();
  const outsider = await api('POST', '/api/tasks', acme.tokens.service, {
    type: 'refund.request',
    title: 'Refund 2',
    assignees: [acme.userIds.admin, globex.userIds.member, 'nobody@example.com'],
  });
  expect(outsider.status).toBe(400);
  expect(outsider.body.details).toEqual([
    expect.objectContaining({ field: 'assignees[1]' }),
    expect.objectContaining({ field: 'assignees[2]' }),
  ]);
  const badShape = await api('POST', '/api/tasks', acme.tokens.service, { type: 'x', title: 'y', assignees: [{ kind: 'team', id: 'x' }] });
  expect(badShape.status).toBe(400);
  expect(await eventCount()).toBe(before);
});

it('a member assigns themselves; an admin can still claim it (the claim is the lock); unassign takes them off', async () => {
  const id = await acme.createTask('refund.request');
  const self = await api('POST', `/api/tasks/${id}/assignees`, acme.tokens.member, { kind: 'user', id: acme.userIds.member });
  expect(self.status).toBe(200);
  expect(self.body).toMatchObject({ status: 'pending', assignees: [{ kind: 'user', id: acme.userIds.member }] });
  expect((await api('POST', `/api/tasks/${id}/assignees`, acme.tokens.viewer, { kind: 'user', id: acme.userIds.viewer })).status).toBe(403);
  expect((await api('POST', `/api/tasks/${id}/assignees`, acme.tokens.member, { kind: 'user', id: globex.userIds.admin })).status).toBe(400);

  const claimed = await api('POST', `/api/inbox/tasks/${id}/claim`, acme.tokens.admin);
  expect(claimed.status).toBe(200);
  expect(claimed.body).toMatchObject({ processedBy: acme.userIds.admin, assignees: [{ kind: 'user', id: acme.userIds.member }] });

  const off = await api('DELETE', `/api/tasks/${id}/assignees/user/${acme.userIds.member}`, acme.tokens.member);
  expect(off.status).toBe(200);
  expect(off.body.assignees).toEqual([]);

  await projected(t);
  const { body } = await api('GET', `/api/tasks/${id}/timeline`, acme.tokens.viewer);
  expect(body.timeline.map((entry: { eventType: string }) => entry.eventType)).toEqual([
    'TaskCreated',
    'TaskAssigned',
    'TaskClaimed',
    'TaskUnassigned',
  ]);
});

it('"assigned to me" lists tasks suggested to the caller or one of their groups, by assignee=me and assignedToMe', async () => {
  const mine = await acme.createTask('a.me');
  const ours = await acme.createTask('a.group');
  const theirs = await acme.createTask('a.admin');
  await api('POST', `/api/tasks/${mine}/assignees`, acme.tokens.admin, { kind: 'user', id: acme.userIds.member });
  await api('POST', `/api/tasks/${ours}/assignees`, acme.tokens.admin, { kind: 'group', id: groupId });
  await api('PATCH', `/api/tasks/${theirs}`, acme.tokens.admin, { assignees: [acme.userIds.admin] });
  await projected(t);

  // type is a single filter: ask per type.
  const seen = async (query: string, token: string) => {
    const ids: string[] = [];
    for (const type of ['a.me', 'a.group', 'a.admin']) {
      const { body } = await api('GET', `/api/inbox/tasks?${query}&type=${type}`, token);
      ids.push(...body.items.map((task: { id: string }) => task.id));
    }
    return ids.sort();
  };
  expect(await seen('assignee=me', acme.tokens.member)).toEqual([mine, ours].sort());
  expect(await seen('assignedToMe=true', acme.tokens.member)).toEqual([mine, ours].sort());
  expect(await seen('assignee=me', acme.tokens.admin)).toEqual([theirs]);
  expect(await seen(`assignee=${groupId}`, acme.tokens.viewer)).toEqual([ours]);
  const { body } = await api('GET', `/api/inbox/tasks?assignee=me&type=a.group`, acme.tokens.member);
  expect(body.items[0].assignees).toEqual([{ kind: 'group', id: groupId, name: 'Refunds' }]);
});

it('GET /api/people offers the people who can act, with their groups, and the groups', async () => {
  const { status, body } = await api('GET', '/api/people', acme.tokens.viewer);
  expect(status).toBe(200);
  expect(body.groups).toEqual([{ id: groupId, name: 'Refunds' }]);
  expect(body.people).toEqual(
    expect.arrayContaining([expect.objectContaining({ id: acme.userIds.member, groups: [groupId], role: 'member' })]),
  );
  expect(body.people.some((person: { id: string }) => person.id === globex.userIds.member)).toBe(false);
});
