import { call, type TestApp, type TestOrganisation } from '@taskinbox/testing';
import { projected, startOneProcessApp } from './one-process.fixture';

// Issue 12 (seed 001): a member limited to tasks assigned to them or their groups sees only
// those, everywhere, the way tenancy is tested: any other task answers exactly like a missing
// one (inbox, task, timeline, commands, stats) and the live stream does not carry it.
jest.setTimeout(60_000);

let t: TestApp;
let acme: TestOrganisation;
let limited: { id: string; token: string };
let mine: string;
let groups: string;
let others: string;
let nobodys: string;
const type = 'scope.case';

const api = (method: string, path: string, token: string, body?: unknown) => call(t.url, method, path, { token, body });

async function createTask(title: string, assignees: { kind: string; id: string }[]): Promise<string> {
  const created = await api('POST', '/api/tasks', acme.tokens.service, { type, title, assignees });
  expect(created.status).toBe(201);
  return created.body.id;
}

interface SseClient {
  events: { event: string; data: { taskId: string } }[];
  close(): void;
}

/** A minimal EventSource over fetch: collects every event frame. */
async function openStream(token: string): Promise<SseClient> {
  const abort = new AbortController();
  const response = await fetch(`${t.url}/api/stream`, { headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` }, signal: abort.signal });
  expect(response.status).toBe(200);
  const client: SseClient = { events: [], close: () => abort.abort() };
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let connected = false;
  void (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (frame.startsWith(': connected')) connected = true;
          const fields = Object.fromEntries(frame.split('\n').map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trimStart()]));
          if (fields.data !== undefined) client.events.push({ event: fields.event, data: JSON.parse(fields.data) });
        }
      }
    } catch {
      // closed by the test
    }
  })();
  for (let i = 0; i < 200 && !connected; i++) await new Promise((resolve) => setTimeout(resolve, 25));
  return client;
}

beforeAll(async () => {
  t = await startOneProcessApp();
  acme = await t.createOrganisation('acme');
  const person = await acme.addUser('member');
  limited = { id: person.id, token: person.token };
  const group = await api('POST', '/api/user-groups', acme.tokens.admin, { name: 'refunds' });
  expect(group.status).toBe(201);
  expect((await api('POST', `/api/user-groups/${group.body.id}/members`, acme.tokens.admin, { userId: limited.id })).status).toBe(204);
  expect((await api('PATCH', `/api/users/${limited.id}`, acme.tokens.admin, { assignedOnly: true })).status).toBe(204);

  mine = await createTask('Mine', [{ kind: 'user', id: limited.id }]);
  groups = await createTask("My group's", [{ kind: 'group', id: group.body.id }]);
  others = await createTask("Another member's", [{ kind: 'user', id: acme.userIds.member }]);
  nobodys = await createTask("Nobody's", []);
  await projected(t);
});
afterAll(() => t?.close());

describe('an assigned-only member', () => {
  it('is shown as such to admins, and only admins set it', async () => {
    const people = await api('GET', '/api/users', acme.tokens.admin);
    expect(people.body.find((person: { id: string }) => person.id === limited.id)).toMatchObject({ assignedOnly: true, role: 'member' });
    expect((await api('PATCH', `/api/users/${limited.id}`, acme.tokens.member, { assignedOnly: false })).status).toBe(403);
    expect((await api('PATCH', `/api/users/${limited.id}`, acme.tokens.admin, {})).status).toBe(400);
  });

  it('lists only tasks assigned to them or their groups', async () => {
    const listed = await api('GET', '/api/inbox/tasks?showCompleted=true', limited.token);
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((task: { id: string }) => task.id).sort()).toEqual([mine, groups].sort());
    const everyone = await api('GET', '/api/inbox/tasks?showCompleted=true', acme.tokens.member);
    expect(everyone.body.items.map((task: { id: string }) => task.id)).toEqual(expect.arrayContaining([mine, groups, others, nobodys]));
  });

  it('gets 404 for any other task: read, timeline, commands; writes nothing', async () => {
    for (const id of [mine, groups]) {
      expect((await api('GET', `/api/tasks/${id}`, limited.token)).status).toBe(200);
      expect((await api('GET', `/api/tasks/${id}/timeline`, limited.token)).status).toBe(200);
    }
    const before = Number((await t.pool.query('SELECT count(*) AS n FROM es_events')).rows[0].n);
    for (const id of [others, nobodys]) {
      expect((await api('GET', `/api/tasks/${id}`, limited.token)).status).toBe(404);
      expect((await api('GET', `/api/tasks/${id}/timeline`, limited.token)).status).toBe(404);
      expect((await api('POST', `/api/inbox/tasks/${id}/claim`, limited.token)).status).toBe(404);
      expect((await api('POST', `/api/tasks/${id}/comments`, limited.token, { body: 'peek' })).status).toBe(404);
      expect((await api('POST', `/api/tasks/${id}/assignees`, limited.token, { kind: 'user', id: limited.id })).status).toBe(404);
    }
    expect(Number((await t.pool.query('SELECT count(*) AS n FROM es_events')).rows[0].n)).toBe(before);
  });

  it('counts only their tasks in statistics', async () => {
    for (const id of [mine, others, nobodys]) expect((await api('POST', `/api/tasks/${id}/cancel`, acme.tokens.admin, {})).status).toBe(200);
    await projected(t);
    const outcomes = async (token: string) => (await api('GET', `/api/stats/outcomes?type=${type}`, token)).body.total;
    expect(await outcomes(acme.tokens.member)).toBe(3);
    expect(await outcomes(limited.token)).toBe(1);
    const backlog = await api('GET', `/api/stats/backlog?type=${type}`, limited.token);
    expect(backlog.status).toBe(200);
  });

  it("hears live only of their tasks' changes", async () => {
    const stream = await openStream(limited.token);
    const bystander = await openStream(acme.tokens.member);
    try {
      for (const id of [others, groups, nobodys]) expect((await api('POST', `/api/tasks/${id}/comments`, acme.tokens.admin, { body: 'live' })).status).toBe(201);
      const heard = (client: SseClient) => client.events.filter((event) => event.event === 'task.commented').map((event) => event.data.taskId);
      for (let i = 0; i < 400 && heard(bystander).length < 3; i++) await new Promise((resolve) => setTimeout(resolve, 25));
      expect(heard(bystander).sort()).toEqual([others, groups, nobodys].sort());
      // The bystander heard all three, so the limited stream has had every chance to.
      for (let i = 0; i < 200 && heard(stream).length < 1; i++) await new Promise((resolve) => setTimeout(resolve, 25));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(heard(stream)).toEqual([groups]);
    } finally {
      stream.close();
      bystander.close();
    }
  });

  it('loses a task when it is unassigned from them, and sees everything once the limit is lifted', async () => {
    const fresh = await createTask('Mine for now', [{ kind: 'user', id: limited.id }]);
    expect((await api('GET', `/api/tasks/${fresh}`, limited.token)).status).toBe(200);
    expect((await api('DELETE', `/api/tasks/${fresh}/assignees/user/${limited.id}`, acme.tokens.admin)).status).toBe(200);
    await projected(t);
    expect((await api('GET', `/api/tasks/${fresh}`, limited.token)).status).toBe(404);
    expect((await api('GET', `/api/tasks/${fresh}/timeline`, limited.token)).status).toBe(404);
    expect((await api('PATCH', `/api/users/${limited.id}`, acme.tokens.admin, { assignedOnly: false })).status).toBe(204);
    expect((await api('GET', `/api/tasks/${nobodys}`, limited.token)).status).toBe(200);
  });
});
