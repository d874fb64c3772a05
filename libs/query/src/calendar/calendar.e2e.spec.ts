import { DataSource } from 'typeorm';
import { ReadModelsModule } from '@taskinbox/read-models';
import { call, startTestApp, type TestApp, type TestOrganisation } from '@taskinbox/testing';
import { QueryModule } from '../query.module';
import { seedFact } from '../tasks/read-models.fixture';

let t: TestApp;
let db: DataSource;
let acme: TestOrganisation;
let globex: TestOrganisation;
const facts: Record<string, string> = {};

const hour = 3600;
const berlinOffice = { timeZone: 'Europe/Berlin', workingDays: [1, 2, 3, 4, 5], dayStart: '09:00', dayEnd: '17:00' };

beforeAll(async () => {
  t = await startTestApp({ imports: [ReadModelsModule, QueryModule] });
  db = t.app.get(DataSource);
  [acme, globex] = await Promise.all([t.createOrganisation('acme'), t.createOrganisation('globex')]);
  // Facts as a projector would have left them under the default calendar (UTC, Mon-Fri 09-17).
  const utc = { timeZone: 'UTC', workingDays: [1, 2, 3, 4, 5], dayStart: '09:00', dayEnd: '17:00' };
  // Friday 16:00 -> Monday 10:00 in Berlin (UTC+1 in March)
  facts.weekend = await seedFact(
    db,
    { orgId: acme.id, createdAt: '2026-03-06T15:00:00Z', resolvedAt: '2026-03-09T09:00:00Z', resolution: 'accepted' },
    utc,
  );
  // Tuesday 07:00 -> 08:30 UTC: before 09:00 UTC, but 08:00-09:30 in Berlin
  facts.early = await seedFact(
    db,
    { orgId: acme.id, createdAt: '2026-03-10T07:00:00Z', resolvedAt: '2026-03-10T08:30:00Z', resolution: 'accepted' },
    utc,
  );
  facts.open = await seedFact(db, { orgId: acme.id, createdAt: '2026-03-10T07:00:00Z' });
  facts.theirs = await seedFact(
    db,
    { orgId: globex.id, createdAt: '2026-03-10T07:00:00Z', resolvedAt: '2026-03-10T08:30:00Z', resolution: 'accepted' },
    utc,
  );
});
afterAll(() => t?.close());

const get = (token = acme.tokens.viewer) => call(t.url, 'GET', '/api/settings/calendar', { token });
const put = (body: unknown, token = acme.tokens.admin) => call(t.url, 'PUT', '/api/settings/calendar', { token, body });
const progress = (token = acme.tokens.viewer) => call(t.url, 'GET', '/api/stats/recompute', { token });
/** The recompute runs in the background: waits until the organisation's is done (or failed). */
async function recomputed(token = acme.tokens.viewer): Promise<{ state: string; done: number; total: number }> {
  for (;;) {
    const { body } = await progress(token);
    if (body.state === 'done' || body.state === 'failed') return body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
const businessSeconds = async (id: string): Promise<number | null> =>
  (await t.pool.query('SELECT business_seconds FROM task_facts WHERE task_id = $1', [id])).rows[0].business_seconds;

describe('GET /api/settings/calendar', () => {
  it('is Mon-Fri 09:00-17:00 UTC until the organisation sets its own', async () => {
    const { status, body } = await get();
    expect(status).toBe(200);
    expect(body).toEqual({
      timeZone: 'UTC',
      workingDays: [1, 2, 3, 4, 5],
      dayStart: '09:00',
      dayEnd: '17:00',
      isDefault: true,
    });
  });
});

describe('PUT /api/settings/calendar', () => {
  it("sets the hours and recomputes the business time of the organisation's resolved tasks", async () => {
    expect(await businessSeconds(facts.weekend)).toBe(2 * hour); // Fri 15-17 UTC
    expect(await businessSeconds(facts.early)).toBe(0);

    expect((await progress()).body).toEqual({ state: 'idle', done: 0, total: 0 });
    const { status, body } = await put(berlinOffice);
    expect(status).toBe(200);
    expect(body).toEqual({ ...berlinOffice, isDefault: false, recomputedTasks: 2 });
    expect(await recomputed()).toEqual({ state: 'done', done: 2, total: 2 });
    expect(await businessSeconds(facts.weekend)).toBe(2 * hour); // Fri 16-17 + Mon 09-10 Berlin
    expect(await businessSeconds(facts.early)).toBe(0.5 * hour); // 09:00-09:30 Berlin
    expect(await businessSeconds(facts.open)).toBeNull();
    expect(await businessSeconds(facts.theirs)).toBe(0);
    expect((await get()).body).toEqual({ ...berlinOffice, isDefault: false });
  });

  it('a six-day week counts the Saturday, and the stats follow once recomputed', async () => {
    const { body } = await put({ ...berlinOffice, workingDays: [6, 1, 2, 3, 4, 5] });
    expect(body.workingDays).toEqual([1, 2, 3, 4, 5, 6]);
    await recomputed();
    expect(await businessSeconds(facts.weekend)).toBe(10 * hour); // Fri 1 h + Sat 8 h + Mon 1 h
    const stats = await call(
      t.url,
      'GET',
      '/api/stats/resolution-time?from=2026-03-01&to=2026-03-31&businessHours=true',
      { token: acme.tokens.viewer },
    );
    expect(stats.body).toMatchObject({ count: 2, slowestSeconds: 10 * hour, medianSeconds: 5.25 * hour });
  });

  it("takes the time zone in PostgreSQL's spelling, whatever the case", async () => {
    const { status, body } = await put({
      ...berlinOffice,
      timeZone: 'europe/berlin',
      dayStart: '08:00',
      dayEnd: '24:00',
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ timeZone: 'Europe/Berlin', dayStart: '08:00', dayEnd: '24:00' });
    await recomputed();
    expect(await businessSeconds(facts.early)).toBe(1.5 * hour); // 08:00-09:30 Berlin
  });

  it.each([
    [{ ...berlinOffice, timeZone: 'Mars/Olympus_Mons' }, 'timeZone'],
    [{ ...berlinOffice, timeZone: "Europe/Berlin'; DROP TABLE task_facts; --" }, 'timeZone'],
    [{ ...berlinOffice, workingDays: [0, 8] }, 'workingDays'],
    [{ ...berlinOffice, workingDays: [] }, 'workingDays'],
    [{ ...berlinOffice, workingDays: [1, 1] }, 'workingDays'],
    [{ ...berlinOffice, workingDays: '1-5' }, 'workingDays'],
    [{ ...berlinOffice, dayStart: '9am' }, 'dayStart'],
    [{ ...berlinOffice, dayStart: '24:00' }, 'dayStart'],
    [{ ...berlinOffice, dayEnd: '08:00' }, 'dayEnd'],
    [{ ...berlinOffice, dayEnd: '09:00' }, 'dayEnd'],
    [{ timeZone: 'UTC' }, 'workingDays'],
    [{ ...berlinOffice, holidays: [] }, 'holidays'],
  ])('400 for %j names %s', async (body, field) => {
    const before = await get();
    const { status, body: error } = await put(body);
    expect(status).toBe(400);
    expect(error.details.map((detail: { field: string }) => detail.field)).toContain(field);
    expect((await get()).body).toEqual(before.body);
  });

  it('is for admins only', async () => {
    for (const token of [acme.tokens.member, acme.tokens.viewer, acme.tokens.service]) {
      expect((await put(berlinOffice, token)).status).toBe(403);
    }
  });

  it("never touches another organisation's calendar", async () => {
    expect((await get(globex.tokens.admin)).body.isDefault).toBe(true);
    expect((await progress(globex.tokens.viewer)).body).toEqual({ state: 'idle', done: 0, total: 0 });
  });
});
