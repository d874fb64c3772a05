import ICAL from 'ical.js';
import { call, startTestApp, type TestApp, type TestOrganisation } from '@taskinbox/testing';
import type { Clock } from './oncall.clock';
import { OncallModule } from './oncall.module';

// The on-call API: rotations, schedules, overrides, who is on call now and next (clock injected),
// iCal feeds behind capability URLs, roles, organisations and bad input.
jest.setTimeout(60_000);

class TestClock implements Clock {
  at = new Date('2026-03-09T12:00:00Z');
  now = () => new Date(this.at);
}
const clock = new TestClock();
let app: TestApp;
let acme: TestOrganisation;
let globex: TestOrganisation;
let ann: { id: string; token: string };
let bob: { id: string; token: string };

beforeAll(async () => {
  app = await startTestApp({ imports: [OncallModule.forRoot({ clock })] });
  [acme, globex] = await Promise.all([app.createOrganisation('acme'), app.createOrganisation('globex')]);
  [ann, bob] = await Promise.all([acme.addUser('member'), acme.addUser('member')]);
});
afterAll(() => app?.close());

/** The writable fields of a rotation view. */
const rotationBody = ({ name, timeZone, startDate, handoffTime, shiftUnit, shiftLength, people }: any) => ({
  name,
  timeZone,
  startDate,
  handoffTime,
  shiftUnit,
  shiftLength,
  people,
});
const scheduleBody = ({ name, timeZone, rules }: any) => ({ name, timeZone, rules });

const admin = (method: string, path: string, body?: unknown) =>
  call(app.url, method, path, { token: acme.tokens.admin, body });

async function rotationAndSchedule() {
  const rotation = await admin('POST', '/api/oncall/rotations', {
    name: `weekly-${Math.random()}`,
    timeZone: 'Europe/Berlin',
    startDate: '2026-01-05',
    handoffTime: '10:00',
    shiftUnit: 'weeks',
    shiftLength: 1,
    people: [ann.id, bob.id],
  });
  expect(rotation.status).toBe(201);
  const schedule = await admin('POST', '/api/oncall/schedules', {
    name: `support-${Math.random()}`,
    timeZone: 'Europe/Berlin',
    rules: [
      { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', target: { kind: 'rotation', id: rotation.body.id } },
    ],
  });
  expect(schedule.status).toBe(201);
  return { rotation: rotation.body, schedule: schedule.body };
}

describe('on call', () => {
  it('says who is on call now and next, across the weekly hand-off, with overrides', async () => {
    const { rotation, schedule } = await rotationAndSchedule();
    // Monday 2026-03-09 13:00 Berlin: turn 9 of the weekly rotation → bob.
    expect(rotation.current).toMatchObject({
      person: bob.id,
      start: '2026-03-09T09:00:00.000Z',
      end: '2026-03-16T09:00:00.000Z',
    });
    const now = await admin('GET', `/api/oncall/schedules/${schedule.id}/on-call`);
    expect(now.status).toBe(200);
    expect(now.body).toMatchObject({
      at: '2026-03-09T12:00:00.000Z',
      current: { people: [{ id: bob.id }], start: '2026-03-09T09:00:00.000Z', end: '2026-03-09T16:00:00.000Z' },
      next: { people: [], start: '2026-03-09T16:00:00.000Z', end: '2026-03-10T08:00:00.000Z' },
    });
    // Next Monday 09:30 Berlin is before the 10:00 hand-off: still bob; at 10:00 ann.
    const before = await admin('GET', `/api/oncall/schedules/${schedule.id}/on-call?at=2026-03-16T08:30:00Z`);
    expect(before.body.current.people).toEqual([{ id: bob.id, name: expect.any(String) }]);
    expect(before.body.next).toMatchObject({ people: [{ id: ann.id }], start: '2026-03-16T09:00:00.000Z' });

    const override = await admin('POST', `/api/oncall/schedules/${schedule.id}/overrides`, {
      start: '2026-03-09T11:00:00Z',
      end: '2026-03-09T14:00:00Z',
      add: ann.id,
      remove: bob.id,
    });
    expect(override.status).toBe(201);
    const replaced = await admin('GET', `/api/oncall/schedules/${schedule.id}/on-call`);
    expect(replaced.body.current).toMatchObject({
      people: [{ id: ann.id }],
      start: '2026-03-09T11:00:00.000Z',
      end: '2026-03-09T14:00:00.000Z',
    });
    expect((await admin('GET', `/api/oncall/schedules/${schedule.id}`)).body.overrides).toHaveLength(1);
    expect((await admin('DELETE', `/api/oncall/schedules/${schedule.id}/overrides/${override.body.id}`)).status).toBe(
      204,
    );
    expect((await admin('GET', `/api/oncall/schedules/${schedule.id}/on-call`)).body.current.people).toEqual([
      { id: bob.id, name: expect.any(String) },
    ]);

    const spans = await admin(
      'GET',
      `/api/oncall/schedules/${schedule.id}/spans?from=2026-03-09T00:00:00Z&to=2026-03-11T00:00:00Z`,
    );
    expect(spans.status).toBe(200);
    expect(spans.body.map((span: any) => [span.start, span.people.map((person: any) => person.id)])).toEqual([
      ['2026-03-09T00:00:00.000Z', []],
      ['2026-03-09T08:00:00.000Z', [ann.id]],
      ['2026-03-09T09:00:00.000Z', [bob.id]],
      ['2026-03-09T16:00:00.000Z', []],
      ['2026-03-10T08:00:00.000Z', [bob.id]],
      ['2026-03-10T16:00:00.000Z', []],
    ]);
  });

  it('keeps the person on call on call when the rotation people change, and refuses deleting a rotation in use', async () => {
    const { rotation } = await rotationAndSchedule();
    const carl = await acme.addUser('member');
    const edited = await admin('PUT', `/api/oncall/rotations/${rotation.id}`, {
      ...rotationBody(rotation),
      people: [carl.id, bob.id, ann.id],
    });
    expect(edited.status).toBe(200);
    expect(edited.body.current.person).toBe(bob.id);
    expect(edited.body.next.person).toBe(ann.id);
    const refused = await admin('DELETE', `/api/oncall/rotations/${rotation.id}`);
    expect(refused).toMatchObject({ status: 409, body: { details: { code: 'rotation_in_use' } } });
  });

  it('serves the schedule and a person as iCal feeds at capability URLs, which a new link replaces', async () => {
    const { schedule } = await rotationAndSchedule();
    const feed = await admin('POST', `/api/oncall/schedules/${schedule.id}/calendar-feed`);
    expect(feed.status).toBe(201);
    expect(feed.body.url).toMatch(/\/api\/oncall\/calendars\/[A-Za-z0-9_-]{43}$/);
    const path = new URL(feed.body.url).pathname;
    const response = await fetch(`${app.url}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/calendar/);
    const calendar = new ICAL.Component(ICAL.parse(await response.text()));
    const events = calendar.getAllSubcomponents('vevent').map((component) => new ICAL.Event(component));
    const monday = events.find((event) => event.startDate.toJSDate().toISOString() === '2026-03-09T09:00:00.000Z')!;
    expect(monday.summary).toMatch(/on call/);
    expect(monday.endDate.toJSDate().toISOString()).toBe('2026-03-09T16:00:00.000Z');

    const mine = await call(app.url, 'POST', '/api/oncall/my-calendar-feed', { token: ann.token });
    expect(mine.status).toBe(201);
    const personal = await (await fetch(`${app.url}${new URL(mine.body.url).pathname}`)).text();
    const annEvents = new ICAL.Component(ICAL.parse(personal))
      .getAllSubcomponents('vevent')
      .map((component) => new ICAL.Event(component));
    // Ann's week starts Monday 2026-03-16 at the 10:00 Berlin hand-off.
    expect(annEvents.map((event) => event.startDate.toJSDate().toISOString())).toContain('2026-03-16T09:00:00.000Z');
    expect(annEvents.map((event) => event.startDate.toJSDate().toISOString())).not.toContain(
      '2026-03-09T09:00:00.000Z',
    );

    const again = await admin('POST', `/api/oncall/schedules/${schedule.id}/calendar-feed`);
    expect((await fetch(`${app.url}${path}`)).status).toBe(404);
    expect((await fetch(`${app.url}${new URL(again.body.url).pathname}`)).status).toBe(200);
    expect((await fetch(`${app.url}/api/oncall/calendars/not-a-token`)).status).toBe(404);
  });

  it('gives writes to admins, reads to everyone in the organisation, and nothing to others', async () => {
    const { rotation, schedule } = await rotationAndSchedule();
    for (const role of ['member', 'viewer'] as const) {
      const write = await call(app.url, 'PUT', `/api/oncall/schedules/${schedule.id}`, {
        token: acme.tokens[role],
        body: scheduleBody(schedule),
      });
      expect(write.status).toBe(403);
      expect(
        (await call(app.url, 'GET', `/api/oncall/schedules/${schedule.id}/on-call`, { token: acme.tokens[role] }))
          .status,
      ).toBe(200);
    }
    expect((await call(app.url, 'GET', '/api/oncall/schedules', { token: acme.tokens.service })).status).toBe(403);
    expect((await call(app.url, 'GET', '/api/oncall/schedules')).status).toBe(401);
    for (const path of [
      `/api/oncall/schedules/${schedule.id}`,
      `/api/oncall/rotations/${rotation.id}`,
      `/api/oncall/schedules/${schedule.id}/on-call`,
    ]) {
      expect((await call(app.url, 'GET', path, { token: globex.tokens.admin })).status).toBe(404);
    }
    expect(
      JSON.stringify((await call(app.url, 'GET', '/api/oncall/schedules', { token: globex.tokens.admin })).body),
    ).not.toContain(schedule.id);
    // Another organisation's people and rotations cannot be put on call here.
    const foreignPerson = await admin('POST', '/api/oncall/rotations', {
      ...rotationBody(rotation),
      name: 'x',
      people: [globex.userIds.member],
    });
    expect(foreignPerson).toMatchObject({ status: 400, body: { message: expect.stringMatching(/people/) } });
    const theirRotation = await call(app.url, 'POST', '/api/oncall/rotations', {
      token: globex.tokens.admin,
      body: { ...rotationBody(rotation), people: [] },
    });
    const foreignRotation = await admin('POST', '/api/oncall/schedules', {
      name: 'y',
      timeZone: 'UTC',
      rules: [{ days: [1], start: '00:00', end: '00:00', target: { kind: 'rotation', id: theirRotation.body.id } }],
    });
    expect(foreignRotation).toMatchObject({ status: 400, body: { message: expect.stringMatching(/rotation/) } });
  });

  it('refuses bad input with a 400 naming the field, and writes nothing', async () => {
    const good = {
      name: 'r',
      timeZone: 'Europe/Berlin',
      startDate: '2026-01-05',
      handoffTime: '10:00',
      shiftUnit: 'days',
      shiftLength: 1,
      people: [],
    };
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ timeZone: 'Mars/Olympus' }, /timeZone/],
      [{ startDate: '2026-02-30' }, /startDate/],
      [{ handoffTime: '24:00' }, /handoffTime/],
      [{ shiftUnit: 'fortnights' }, /shiftUnit/],
      [{ shiftLength: 0 }, /shiftLength/],
      [{ people: ['nope'] }, /people/],
      [{ people: [ann.id, ann.id] }, /people/],
      [{ name: 'a\nb' }, /name/],
    ];
    for (const [change, field] of cases) {
      const response = await admin('POST', '/api/oncall/rotations', { ...good, ...change });
      expect({ change, status: response.status, message: response.body.message }).toEqual({
        change,
        status: 400,
        message: expect.stringMatching(field),
      });
    }
    const { schedule } = await rotationAndSchedule();
    const badRule = await admin('PUT', `/api/oncall/schedules/${schedule.id}`, {
      ...scheduleBody(schedule),
      rules: [{ days: [7], start: '09:00', end: '17:00', target: { kind: 'user', id: ann.id } }],
    });
    expect(badRule.status).toBe(400);
    const backwards = await admin('POST', `/api/oncall/schedules/${schedule.id}/overrides`, {
      start: '2026-03-09T14:00:00Z',
      end: '2026-03-09T11:00:00Z',
      add: ann.id,
    });
    expect(backwards).toMatchObject({ status: 400, body: { message: expect.stringMatching(/end/) } });
    const nobody = await admin('POST', `/api/oncall/schedules/${schedule.id}/overrides`, {
      start: '2026-03-09T11:00:00Z',
      end: '2026-03-09T14:00:00Z',
    });
    expect(nobody.status).toBe(400);
    const tooLong = await admin(
      'GET',
      `/api/oncall/schedules/${schedule.id}/spans?from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z`,
    );
    expect(tooLong.status).toBe(400);
    expect((await admin('GET', '/api/oncall/rotations')).body.map((r: any) => r.name)).not.toContain('r');
  });

  it('describes every on-call route in the OpenAPI document with its answer schema', async () => {
    const { body: document } = await call(app.url, 'GET', '/api/docs/openapi.json');
    const operations = Object.entries(
      document.paths as Record<string, Record<string, { responses: Record<string, any> }>>,
    )
      .filter(([path]) => path.startsWith('/api/oncall'))
      .flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })),
      );
    expect(operations.length).toBeGreaterThanOrEqual(17);
    for (const { route, operation } of operations) {
      const success = Object.entries(operation.responses).find(([status]) => status.startsWith('2'))!;
      if (success[0] === '204') continue;
      const content = success[1].content ?? {};
      expect([route, content['application/json']?.schema ?? content['text/calendar']?.schema]).toEqual([
        route,
        expect.anything(),
      ]);
    }
  });
});
