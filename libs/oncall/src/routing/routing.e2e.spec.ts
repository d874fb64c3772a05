import { call, startTestApp, type TestApp, type TestOrganisation } from '@taskinbox/testing';
import type { Clock } from '../oncall.clock';
import { OncallModule } from '../oncall.module';

// Routing rules: a new task goes to whoever is on call at that moment (clock injected), through
// the assignment command as the system; an unclaimed task escalates to the next step, a claimed one not.
jest.setTimeout(60_000);

class TestClock implements Clock {
  at = new Date('2026-03-09T12:00:00Z');
  now = () => new Date(this.at);
}
const clock = new TestClock();
let app: TestApp;
let acme: TestOrganisation;
let ann: { id: string; token: string };
let bob: { id: string; token: string };
let scheduleId: string;
let groupId: string;

const admin = (method: string, path: string, body?: unknown) =>
  call(app.url, method, path, { token: acme.tokens.admin, body });

async function createTask(body: Record<string, unknown>): Promise<string> {
  const created = await call(app.url, 'POST', '/api/tasks', { token: acme.tokens.service, body: { title: 'a task', ...body } });
  expect(created.status).toBe(201);
  return created.body.id;
}

async function assigneesOf(taskId: string, until: (refs: string[]) => boolean): Promise<string[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const task = await admin('GET', `/api/tasks/${taskId}`);
    const refs = (task.body.assignees as { kind: string; id: string }[]).map((ref) => `${ref.kind}:${ref.id}`);
    if (until(refs) || Date.now() > deadline) return refs;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  app = await startTestApp({ imports: [OncallModule.forRoot({ clock, escalationPollMs: 100 })] });
  acme = await app.createOrganisation('acme');
  [ann, bob] = await Promise.all([acme.addUser('member'), acme.addUser('member')]);
  const rotation = await admin('POST', '/api/oncall/rotations', {
    name: 'weekly',
    timeZone: 'Europe/Berlin',
    startDate: '2026-01-05',
    handoffTime: '10:00',
    shiftUnit: 'weeks',
    shiftLength: 1,
    people: [ann.id, bob.id],
  });
  const schedule = await admin('POST', '/api/oncall/schedules', {
    name: 'support',
    timeZone: 'Europe/Berlin',
    rules: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', target: { kind: 'rotation', id: rotation.body.id } }],
  });
  scheduleId = schedule.body.id;
  const group = await admin('POST', '/api/user-groups', { name: 'ops' });
  expect(group.status).toBe(201);
  groupId = group.body.id;
});
afterAll(() => app?.close());

describe('routing rules', () => {
  it('assigns a matching new task to the person on call at that moment, as the system', async () => {
    const rule = await admin('POST', '/api/routing-rules', {
      name: 'refunds',
      match: { taskTypes: ['refund'] },
      target: { kind: 'schedule', id: scheduleId },
    });
    expect(rule.status).toBe(201);
    expect(rule.body).toMatchObject({ position: 0, match: { taskTypes: ['refund'] }, escalation: [] });

    // Monday 2026-03-09 13:00 Berlin: bob's week.
    const first = await createTask({ type: 'refund' });
    expect(await assigneesOf(first, (refs) => refs.length > 0)).toEqual([`user:${bob.id}`]);
    const assigned = await app.pool.query(
      `SELECT data->'by' AS by, metadata->>'actor' AS actor FROM es_events WHERE stream_id = $1 AND event_type = 'TaskAssigned'`,
      [`task-${first}`],
    );
    expect(assigned.rows).toEqual([
      { by: { kind: 'system', id: 'oncall-routing', name: 'on-call routing' }, actor: 'system:oncall-routing' },
    ]);

    // The next Monday 11:00 Berlin is past the 10:00 hand-off: ann's week.
    clock.at = new Date('2026-03-16T10:00:00Z');
    const second = await createTask({ type: 'refund' });
    expect(await assigneesOf(second, (refs) => refs.length > 0)).toEqual([`user:${ann.id}`]);

    // Another type matches no rule; a task created with an assignee keeps it alone.
    const other = await createTask({ type: 'content-flag' });
    const chosen = await createTask({ type: 'refund', assignees: [{ kind: 'user', id: bob.id }] });
    const probe = await createTask({ type: 'refund' });
    await assigneesOf(probe, (refs) => refs.length > 0);
    expect(await assigneesOf(other, () => true)).toEqual([]);
    expect(await assigneesOf(chosen, () => true)).toEqual([`user:${bob.id}`]);
  });

  it('escalates an unclaimed urgent task to the next step after the delay, and leaves a claimed one alone', async () => {
    clock.at = new Date('2026-03-17T10:00:00Z'); // Tuesday 11:00 Berlin: ann
    const rule = await admin('POST', '/api/routing-rules', {
      name: 'urgent outages',
      position: 0,
      match: { taskTypes: ['outage'], priorities: ['urgent'] },
      target: { kind: 'schedule', id: scheduleId },
      escalation: [
        { afterMinutes: 15, target: { kind: 'group', id: groupId } },
        { afterMinutes: 30, target: { kind: 'user', id: bob.id } },
      ],
    });
    expect(rule.status).toBe(201);
    const unclaimed = await createTask({ type: 'outage', priority: 'urgent' });
    const claimed = await createTask({ type: 'outage', priority: 'urgent' });
    const notUrgent = await createTask({ type: 'outage', priority: 'normal' });
    expect(await assigneesOf(unclaimed, (refs) => refs.length > 0)).toEqual([`user:${ann.id}`]);
    expect(await assigneesOf(claimed, (refs) => refs.length > 0)).toEqual([`user:${ann.id}`]);
    expect((await call(app.url, 'POST', `/api/inbox/tasks/${claimed}/claim`, { token: ann.token })).status).toBe(200);

    // 14 minutes: nothing is due yet.
    clock.at = new Date('2026-03-17T10:14:00Z');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await assigneesOf(unclaimed, () => true)).toEqual([`user:${ann.id}`]);

    clock.at = new Date('2026-03-17T10:16:00Z');
    expect(await assigneesOf(unclaimed, (refs) => refs.length > 1)).toEqual([`user:${ann.id}`, `group:${groupId}`]);
    // Both were due: the claimed task's escalation ended instead. A sweep skips rows locked at
    // that moment (SKIP LOCKED, e.g. by the router handling the claim), so it may end a sweep later.
    const routings = () =>
      app.pool.query('SELECT task_id, step, next_escalation_at FROM oncall_routings WHERE task_id = ANY($1::uuid[])', [[unclaimed, claimed]]);
    let rows = await routings();
    for (let tries = 0; tries < 100 && rows.rows.some((row) => row.task_id === claimed && row.next_escalation_at !== null); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      rows = await routings();
    }
    const byTask = new Map(rows.rows.map((row) => [row.task_id, row]));
    expect(byTask.get(claimed)).toMatchObject({ step: 0, next_escalation_at: null });
    expect(byTask.get(unclaimed)).toMatchObject({ step: 1, next_escalation_at: new Date('2026-03-17T10:46:00Z') });
    expect(await assigneesOf(claimed, () => true)).toEqual([`user:${ann.id}`]);
    expect(await assigneesOf(notUrgent, () => true)).toEqual([]);

    clock.at = new Date('2026-03-17T10:47:00Z');
    expect(await assigneesOf(unclaimed, (refs) => refs.length > 2)).toEqual([
      `user:${ann.id}`,
      `group:${groupId}`,
      `user:${bob.id}`,
    ]);
  });

  it('is managed by admins, refuses targets outside the organisation and hostile input', async () => {
    const member = (method: string, path: string, body?: unknown) =>
      call(app.url, method, path, { token: acme.tokens.member, body });
    const body = { name: 'flags', match: { tags: ['flag'] }, target: { kind: 'group', id: groupId } };
    expect((await member('POST', '/api/routing-rules', body)).status).toBe(403);
    const listed = await member('GET', '/api/routing-rules');
    expect(listed.status).toBe(200);
    expect(listed.body.map((rule: any) => rule.name)).toEqual(['urgent outages', 'refunds']);

    const stranger = '0190e0c0-0000-7000-8000-000000000000';
    const unknown = await admin('POST', '/api/routing-rules', { ...body, target: { kind: 'schedule', id: stranger } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/not a schedule of this organisation/);
    const unknownStep = await admin('POST', '/api/routing-rules', {
      ...body,
      escalation: [{ afterMinutes: 5, target: { kind: 'user', id: stranger } }],
    });
    expect(unknownStep.status).toBe(400);
    for (const hostile of [
      { ...body, match: { priorities: ['extreme'] } },
      { ...body, target: { kind: 'rotation', id: groupId } },
      { ...body, escalation: [{ afterMinutes: 0, target: body.target }] },
      { ...body, name: 'a\nb' },
      { ...body, match: 'all' },
      { name: 'no match', target: body.target },
      { ...body, escalation: [{ afterMinutes: 5 }] },
    ]) {
      expect((await admin('POST', '/api/routing-rules', hostile)).status).toBe(400);
    }

    const created = await admin('POST', '/api/routing-rules', body);
    expect(created.status).toBe(201);
    expect(created.body.position).toBe(2);
    const first = await admin('POST', '/api/routing-rules', { ...body, name: 'first', position: 0 });
    expect((await admin('GET', '/api/routing-rules')).body.map((rule: any) => [rule.name, rule.position])).toEqual([
      ['first', 0],
      ['urgent outages', 1],
      ['refunds', 2],
      ['flags', 3],
    ]);
    expect((await admin('DELETE', `/api/routing-rules/${first.body.id}`)).status).toBe(204);
    expect((await admin('POST', '/api/routing-rules', body)).status).toBe(409);
    const moved = await admin('PUT', `/api/routing-rules/${created.body.id}`, { ...body, position: 1 });
    expect(moved.body.position).toBe(1);
    expect((await admin('GET', '/api/routing-rules')).body.map((rule: any) => rule.name)).toEqual([
      'flags',
      'urgent outages',
      'refunds',
    ]);
    expect((await admin('DELETE', `/api/routing-rules/${created.body.id}`)).status).toBe(204);
    expect((await admin('GET', `/api/routing-rules/${created.body.id}`)).status).toBe(404);
  });
});
