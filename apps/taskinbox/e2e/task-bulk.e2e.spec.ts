import { randomUUID } from 'node:crypto';
import { call, type TestApp, type TestOrganisation } from '@taskinbox/testing';
import { startOneProcessApp } from './one-process.fixture';

// Issue 12 (seed 001): bulk assign, unassign, tag, cancel and delete. Each task gets the command
// its single route would run; refusals are reported per task, never as a failed request.
jest.setTimeout(60_000);

let t: TestApp;
let acme: TestOrganisation;
let globex: TestOrganisation;

beforeAll(async () => {
  t = await startOneProcessApp();
  [acme, globex] = await Promise.all([t.createOrganisation('acme'), t.createOrganisation('globex')]);
});
afterAll(() => t?.close());

const api = (method: string, path: string, token: string, body?: unknown) => call(t.url, method, path, { token, body });
const bulk = (token: string, body: unknown) => api('POST', '/api/tasks/bulk', token, body);
const task = async (id: string) => (await api('GET', `/api/tasks/${id}`, acme.tokens.admin)).body;
const byId = (results: { id: string }[]) => Object.fromEntries(results.map((result) => [result.id, result]));

describe('bulk commands', () => {
  let mine: string[];
  let foreign: string;
  const missing = randomUUID();

  beforeAll(async () => {
    mine = await Promise.all([1, 2, 3].map(() => acme.createTask('bulk.case')));
    foreign = await globex.createTask('bulk.case');
  });

  it('tags and assigns each task, reporting tasks the caller cannot see as 404', async () => {
    const tagged = await bulk(acme.tokens.member, { ids: [mine[0], mine[1], foreign, missing], action: 'tag', args: { tags: ['vip'] } });
    expect(tagged.status).toBe(200);
    const results = byId(tagged.body.results);
    expect(results[mine[0]]).toMatchObject({ ok: true, statusCode: 200 });
    expect(results[mine[1]]).toMatchObject({ ok: true });
    expect(results[foreign]).toMatchObject({ ok: false, statusCode: 404 });
    expect(results[missing]).toMatchObject({ ok: false, statusCode: 404 });
    expect((await task(mine[0])).tags).toEqual(['vip']);
    expect((await api('GET', `/api/tasks/${foreign}`, globex.tokens.admin)).body.tags ?? []).toEqual([]);

    const assignee = { kind: 'user', id: acme.userIds.member };
    const assigned = await bulk(acme.tokens.member, { ids: mine, action: 'assign', args: assignee });
    expect(assigned.body.results.every((result: { ok: boolean }) => result.ok)).toBe(true);
    expect((await task(mine[2])).assignees).toEqual([expect.objectContaining(assignee)]);
    const unassigned = await bulk(acme.tokens.member, { ids: [mine[2]], action: 'unassign', args: assignee });
    expect(unassigned.body.results[0]).toMatchObject({ ok: true });
    expect((await task(mine[2])).assignees).toEqual([]);
  });

  it('applies the single routes’ permissions and transitions per task', async () => {
    const byMember = await bulk(acme.tokens.member, { ids: [mine[0]], action: 'cancel', args: {} });
    expect(byMember.status).toBe(200);
    expect(byMember.body.results[0]).toMatchObject({ ok: false, statusCode: 403 });

    const first = await bulk(acme.tokens.admin, { ids: [mine[0]], action: 'cancel', args: { reason: 'duplicate' } });
    expect(first.body.results[0]).toMatchObject({ ok: true });
    const again = await bulk(acme.tokens.admin, { ids: [mine[0], mine[1]], action: 'cancel' });
    expect(byId(again.body.results)[mine[0]]).toMatchObject({ ok: false, statusCode: 409 });
    expect(byId(again.body.results)[mine[1]]).toMatchObject({ ok: true });

    expect((await bulk(acme.tokens.member, { ids: [mine[2]], action: 'delete' })).body.results[0]).toMatchObject({ statusCode: 403 });
    const deleted = await bulk(acme.tokens.admin, { ids: [mine[2]], action: 'delete', args: { reason: 'spam' } });
    expect(deleted.body.results[0]).toMatchObject({ ok: true, statusCode: 204 });
    expect((await api('GET', `/api/tasks/${mine[2]}`, acme.tokens.admin)).status).toBe(404);
  });

  it('refuses a malformed request as a whole with a 400, and viewers with a 403', async () => {
    expect((await bulk(acme.tokens.member, { ids: [mine[1]], action: 'assign', args: { kind: 'robot', id: 'x' } })).status).toBe(400);
    expect((await bulk(acme.tokens.member, { ids: Array.from({ length: 101 }, () => randomUUID()), action: 'tag', args: { tags: ['a'] } })).status).toBe(400);
    expect((await bulk(acme.tokens.member, { ids: ['nope'], action: 'tag', args: { tags: ['a'] } })).status).toBe(400);
    expect((await bulk(acme.tokens.member, { ids: [mine[1]], action: 'explode' })).status).toBe(400);
    expect((await bulk(acme.tokens.viewer, { ids: [mine[1]], action: 'tag', args: { tags: ['a'] } })).status).toBe(403);
  });
});
