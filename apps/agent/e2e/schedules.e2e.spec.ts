import { call, type TestApp, type TestOrganisation } from '@taskinbox/testing';
import {
  buildAgent,
  createJob,
  enrolmentToken,
  eventually,
  finished,
  removeAgents,
  runOf,
  runsOfJob,
  startAgent,
  startDevicesApp,
  TestClock,
} from './agent.fixture';

// Schedules fired by the real agent from its cached copy, on an injected clock that runs fast:
// the wall clock across a daylight-saving change, each misfire policy, each overlap policy.
jest.setTimeout(90_000);

const clock = new TestClock();
let app: TestApp;
let acme: TestOrganisation;

beforeAll(async () => {
  buildAgent();
  app = await startDevicesApp({ clock });
  acme = await app.createOrganisation('acme');
});
afterAll(async () => {
  await removeAgents();
  await app?.close();
});

async function schedule(jobId: string, body: Record<string, unknown>): Promise<string> {
  const created = await call(app.url, 'POST', `/api/jobs/${jobId}/schedules`, { token: acme.tokens.admin, body });
  if (created.status !== 201) throw new Error(`schedule: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.id;
}

const berlin = (iso: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', dateStyle: 'short', timeStyle: 'long' }).format(new Date(iso));

const slot = (runs: any[], scheduledFor: string) => runs.find((run) => run.scheduledFor === scheduledFor);

describe('a schedule across a daylight-saving change (Europe/Berlin, 29 March 2026)', () => {
  it('fires at the right wall-clock time: 09:00 before and after, and 02:30 (skipped that night) at 03:00', async () => {
    clock.set('2026-03-29T00:00:00Z');
    const agent = await startAgent(app, await enrolmentToken(app, acme), { start: false });
    const daily = await createJob(app, acme, { name: 'daily 09:00', actions: [{ type: 'COMMAND', command: 'true' }] });
    const night = await createJob(app, acme, { name: 'nightly 02:30', actions: [{ type: 'COMMAND', command: 'true' }] });
    await schedule(daily.id, { cron: '0 9 * * *', timezone: 'Europe/Berlin', deviceId: agent.deviceId });
    await schedule(night.id, { cron: '30 2 * * *', timezone: 'Europe/Berlin', deviceId: agent.deviceId });
    const shown = await call(app.url, 'GET', `/api/jobs/${night.id}`, { token: acme.tokens.viewer });
    expect(shown.body.schedules[0].nextRuns[0]).toBe('2026-03-29T01:00:00.000Z');

    // First it caches its schedules (the agent fires them from there); then, from 00:50Z
    // (01:50 CET) to 07:00Z (09:00 CEST), one hour passes per second.
    agent.start({ TASKINBOX_AGENT_FAKE_TIME: '2026-03-28T22:00:00Z' });
    await eventually('the schedules cached', async () => agent.lines.join('\n'), (log) => log.includes('"schedules":2'));
    expect(await agent.stop()).toBe(0);
    agent.start({ TASKINBOX_AGENT_FAKE_TIME: '2026-03-29T00:50:00Z', TASKINBOX_AGENT_TIME_SPEED: '3600' });
    const [morning] = await eventually('the 09:00 run', () => runsOfJob(app, acme, daily.id), (runs) => runs.some(finished));
    const [gap] = await runsOfJob(app, acme, night.id);
    await agent.stop();

    expect(gap).toMatchObject({ status: 'succeeded', trigger: 'schedule', scheduledFor: '2026-03-29T01:00:00.000Z' });
    expect(berlin(gap.scheduledFor)).toBe('29/03/2026, 03:00:00 CEST');
    expect(morning).toMatchObject({ status: 'succeeded', scheduledFor: '2026-03-29T07:00:00.000Z' });
    expect(berlin(morning.scheduledFor)).toBe('29/03/2026, 09:00:00 CEST');
    // Started by the agent's clock at its slot, never before it; how late (in real time: an hour
    // of this clock is a second) depends on how busy the machine is, so it is shown, not bounded.
    for (const run of [gap, morning]) {
      const late = Date.parse(run.startedAt) - Date.parse(run.scheduledFor);
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThan(6 * 3600_000);
      console.log(`devices DST: slot ${run.scheduledFor} started ${Math.round(late / 3600)} ms of real time after it`);
    }
    // Exactly one run of each, nothing at 08:00Z (09:00 CET, which no longer exists that day).
    expect(await runsOfJob(app, acme, daily.id)).toHaveLength(1);
    expect(await runsOfJob(app, acme, night.id)).toHaveLength(1);
  });
});

describe('misfire policies: slots that came due while the agent was stopped', () => {
  it('skip records them missed, run_once runs the newest, run_all runs each; a starting deadline bounds them', async () => {
    clock.set('2026-05-01T10:00:00Z');
    const agent = await startAgent(app, await enrolmentToken(app, acme), { start: false });
    const jobs: Record<string, string> = {};
    for (const [label, policy] of [
      ['skip', { misfire: 'skip' }],
      ['run_once', { misfire: 'run_once' }],
      ['run_all', { misfire: 'run_all' }],
      ['deadline', { misfire: 'run_all', startingDeadlineSeconds: 600 }],
    ] as const) {
      const job = await createJob(app, acme, { name: `misfire ${label}`, actions: [{ type: 'COMMAND', command: 'true' }] });
      await schedule(job.id, { cron: '*/10 * * * *', timezone: 'UTC', deviceId: agent.deviceId, ...policy });
      jobs[label] = job.id;
    }
    // Up at 10:00:30, it caches the schedules; stopped before 10:10; back at 10:35.
    agent.start({ TASKINBOX_AGENT_FAKE_TIME: '2026-05-01T10:00:30Z' });
    await eventually('the schedules cached', async () => agent.lines.join('\n'), (log) => log.includes('"schedules":4'));
    expect(await agent.stop()).toBe(0);
    agent.start({ TASKINBOX_AGENT_FAKE_TIME: '2026-05-01T10:35:00Z' });

    const at = (minute: number) => `2026-05-01T10:${minute}:00.000Z`;
    const recorded = () => Promise.all(Object.values(jobs).map((id) => runsOfJob(app, acme, id)));
    await eventually('every slot recorded', recorded, (all) => all.every((runs) => runs.length === 3 && runs.every(finished)));
    const [skip, once, all, deadline] = await Promise.all(Object.values(jobs).map((id) => runsOfJob(app, acme, id)));
    await agent.stop();

    for (const minute of [10, 20, 30]) {
      expect(slot(skip, at(minute))).toMatchObject({ status: 'missed', missedReason: 'misfire_skipped' });
      expect(slot(all, at(minute))).toMatchObject({ status: 'succeeded' });
    }
    expect(slot(once, at(10))).toMatchObject({ status: 'missed', missedReason: 'misfire_coalesced' });
    expect(slot(once, at(20))).toMatchObject({ status: 'missed', missedReason: 'misfire_coalesced' });
    expect(slot(once, at(30))).toMatchObject({ status: 'succeeded' });
    expect(slot(deadline, at(10))).toMatchObject({ status: 'missed', missedReason: 'deadline_passed' });
    expect(slot(deadline, at(20))).toMatchObject({ status: 'missed', missedReason: 'deadline_passed' });
    expect(slot(deadline, at(30))).toMatchObject({ status: 'succeeded' });
  });
});

describe('overlap policies: a slot comes due while the previous run still runs', () => {
  it('allow runs both, forbid records the new slot missed, replace cancels the running one and starts the new', async () => {
    const agent = await startAgent(app, await enrolmentToken(app, acme), { start: false });
    const jobs: Record<string, string> = {};
    clock.set('2026-05-02T10:00:30Z');
    for (const overlap of ['allow', 'forbid', 'replace']) {
      // Slots every minute, a fake minute is two real seconds: each run (2.8 s) outlasts one slot.
      const job = await createJob(app, acme, {
        name: `overlap ${overlap}`,
        actions: [{ type: 'SCRIPT', content: 'sleep 2.8' }],
      });
      await schedule(job.id, { cron: '* * * * *', timezone: 'UTC', deviceId: agent.deviceId, overlap });
      jobs[overlap] = job.id;
    }
    // Schedules cached first, so the fast clock starts with them at hand.
    agent.start({ TASKINBOX_AGENT_FAKE_TIME: '2026-05-02T10:00:31Z' });
    await eventually('the schedules cached', async () => agent.lines.join('\n'), (log) => log.includes('"schedules":3'));
    expect(await agent.stop()).toBe(0);
    agent.start({ TASKINBOX_AGENT_FAKE_TIME: '2026-05-02T10:00:50Z', TASKINBOX_AGENT_TIME_SPEED: '30' });
    const at = (minute: number) => `2026-05-02T10:0${minute}:00.000Z`;
    const runs = (id: string) => () => runsOfJob(app, acme, id);
    const started = (list: any[]) => list.filter((run) => run.startedAt);
    const [allow, forbid, replace] = await Promise.all([
      eventually('allow: slots 1 and 2 done', runs(jobs.allow), (list) => [1, 2].every((m) => slot(list, at(m)) && finished(slot(list, at(m))))),
      eventually('forbid: slot 2 recorded, a later slot started', runs(jobs.forbid), (list) =>
        Boolean(slot(list, at(2))) && started(list).some((run) => run.scheduledFor > at(2)) && finished(slot(list, at(1))),
      ),
      eventually('replace: slot 1 done, slot 2 started', runs(jobs.replace), (list) => finished(slot(list, at(1)) ?? {}) && slot(list, at(2))?.startedAt),
    ]);
    await agent.stop();

    // allow: the second started while the first still ran; both succeeded.
    const [first, second] = [slot(allow, at(1)), slot(allow, at(2))];
    expect([first.status, second.status]).toEqual(['succeeded', 'succeeded']);
    const detail = await Promise.all([first, second].map((run) => runOf(app, acme, run.id)));
    expect(Date.parse(detail[1].startedAt)).toBeLessThan(Date.parse(detail[0].actions[0].finishedAt));

    // forbid: the second slot did not run; no two runs ever ran at once.
    expect(slot(forbid, at(1))).toMatchObject({ status: 'succeeded' });
    expect(slot(forbid, at(2))).toMatchObject({ status: 'missed', missedReason: 'overlap_forbidden' });
    const spans = (await Promise.all(started(forbid).filter(finished).map((run) => runOf(app, acme, run.id))))
      .map((run) => [Date.parse(run.startedAt), Date.parse(run.actions[0]?.finishedAt ?? run.finishedAt)])
      .sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][1]);

    // replace: the second slot cancelled the first (every run here outlasts its slot) and started.
    expect(slot(replace, at(1))).toMatchObject({
      status: 'cancelled',
      error: expect.stringMatching(/replaced by the slot of 2026-05-02T10:02:00/),
    });
    expect(slot(replace, at(2)).startedAt).toEqual(expect.any(String));
  });
});
