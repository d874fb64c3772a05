import type { ActionReport, JobSpec } from '@taskinbox/device-protocol';
import { specification } from './decider.specification';
import { needsTask, runDecider, type RunCommand } from './run.decider';
import type { RunEvent } from './run.events';

const { given, stateOf } = specification(runDecider);
const runId = 'run-1';
const deviceId = 'device-1';
const other = 'device-2';
const at = (second: number) => `2026-05-01T10:00:${String(second).padStart(2, '0')}.000Z`;
const job: JobSpec = {
  jobId: 'job-1',
  version: 3,
  name: 'backup',
  actions: [
    { type: 'COMMAND', command: '/usr/bin/true', timeoutSeconds: 10 },
    { type: 'READ_FILE', path: '/etc/hostname', maxBytes: 100, timeoutSeconds: 10 },
  ],
  onFailure: 'stop',
  runAs: null,
  outputMaxBytes: 1024,
};
const trigger = { kind: 'now' as const, by: 'user:u1' };

const requested: RunEvent = {
  type: 'RunRequested',
  data: { runId, orgId: 'org-1', deviceId, job, openTaskOnFailure: true, trigger, requestedAt: at(0) },
};
const dispatched: RunEvent = { type: 'RunDispatched', data: { runId, deviceId, dispatchedAt: at(1) } };
const started: RunEvent = { type: 'RunStarted', data: { runId, deviceId, startedAt: at(2), receivedAt: at(2) } };
const report = (ok: boolean, second = 3): ActionReport => ({
  code: ok ? 0 : 1,
  ok,
  output: 'out',
  error: ok ? '' : 'boom',
  truncated: false,
  durationMs: 5,
  finishedAt: at(second),
});
const finished = (index: number, ok: boolean): RunEvent => ({
  type: 'ActionFinished',
  data: { runId, index, actionType: job.actions[index].type, ...report(ok, 3 + index) },
});

const finishAction = (index: number, ok: boolean, by = deviceId): RunCommand => ({
  type: 'FinishAction',
  deviceId: by,
  index,
  report: report(ok, 3 + index),
  now: at(9),
});
const finishRun = (error?: string): RunCommand => ({ type: 'FinishRun', deviceId, finishedAt: at(8), error, now: at(9) });

describe('run decider', () => {
  it('requests a run once; the same slot reported again is the same run', () => {
    const request: RunCommand = {
      type: 'RequestRun',
      runId,
      orgId: 'org-1',
      deviceId,
      job,
      openTaskOnFailure: true,
      trigger,
      now: at(0),
    };
    given().when(request).then([requested]);
    given(requested).when(request).then([]);
    given(requested)
      .when({ ...request, deviceId: other })
      .thenRejects('run_already_exists');
  });

  it('goes requested → dispatched → running, and a repeated report changes nothing', () => {
    given(requested).when({ type: 'DispatchRun', deviceId, now: at(1) }).then([dispatched]);
    given(requested, dispatched).when({ type: 'DispatchRun', deviceId, now: at(1) }).then([]);
    given(requested, dispatched).when({ type: 'StartRun', deviceId, startedAt: at(2), now: at(2) }).then([started]);
    given(requested, dispatched, started).when({ type: 'StartRun', deviceId, startedAt: at(2), now: at(2) }).then([]);
    const done: RunEvent = { type: 'RunFinished', data: { runId, outcome: 'failed', finishedAt: at(3), receivedAt: at(3) } };
    given(requested, dispatched, started, done).when({ type: 'StartRun', deviceId, startedAt: at(2), now: at(4) }).then([]);
  });

  it("answers another device's reports as if the run did not exist", () => {
    given(requested).when({ type: 'DispatchRun', deviceId: other, now: at(1) }).thenRejects('run_not_found');
    given(requested, dispatched, started).when(finishAction(0, true, other)).thenRejects('run_not_found');
    given().when({ type: 'DispatchRun', deviceId, now: at(1) }).thenRejects('run_not_found');
  });

  it('records each action once, in order, within the job', () => {
    given(requested, dispatched, started).when(finishAction(0, true)).then([finished(0, true)]);
    given(requested, dispatched, started, finished(0, true)).when(finishAction(0, true)).then([]);
    given(requested, dispatched, started).when(finishAction(2, true)).thenRejects('invalid_run_report', /0 to 1/);
    given(requested, dispatched, started, finished(1, true))
      .when(finishAction(0, true))
      .thenRejects('invalid_run_report', /after a later one/);
    given(requested, dispatched).when(finishAction(0, true)).thenRejects('run_not_active', /'dispatched'/);
  });

  it('finishes succeeded only when every action succeeded', () => {
    const done = (outcome: 'succeeded' | 'failed', error?: string): RunEvent => ({
      type: 'RunFinished',
      data: { runId, outcome, ...(error ? { error } : {}), finishedAt: at(8), receivedAt: at(9) },
    });
    given(requested, dispatched, started, finished(0, true), finished(1, true)).when(finishRun()).then([done('succeeded')]);
    given(requested, dispatched, started, finished(0, false)).when(finishRun()).then([done('failed')]);
    given(requested, dispatched, started, finished(0, true), finished(1, true))
      .when(finishRun('agent restarted'))
      .then([done('failed', 'agent restarted')]);
    given(requested, dispatched, started, finished(0, true), finished(1, true), done('succeeded'))
      .when(finishRun())
      .then([]);
  });

  it('cancels a run that has not finished, and refuses reports after that', () => {
    const cancelled: RunEvent = { type: 'RunCancelled', data: { runId, by: 'user:u1', reason: 'no longer needed', cancelledAt: at(5) } };
    given(requested).when({ type: 'CancelRun', by: 'user:u1', reason: 'no longer needed', now: at(5) }).then([cancelled]);
    given(requested, cancelled).when({ type: 'CancelRun', by: 'user:u1', reason: 'x', now: at(6) }).thenRejects('run_not_active', /'cancelled'/);
    given(requested, cancelled).when({ type: 'StartRun', deviceId, startedAt: at(6), now: at(6) }).thenRejects('run_not_active');
    given(requested, dispatched, started)
      .when({ type: 'CancelRun', by: `device:${other}`, deviceId: other, reason: 'replaced', now: at(6) })
      .thenRejects('run_not_found');
  });

  it('records a missed slot as a run of its own, once', () => {
    const missed: RunCommand = {
      type: 'RecordMissed',
      runId,
      orgId: 'org-1',
      deviceId,
      jobId: 'job-1',
      jobVersion: 3,
      scheduleId: 's-1',
      scheduledFor: at(0),
      reason: 'misfire_skipped',
      now: at(30),
    };
    const event: RunEvent = {
      type: 'RunMissed',
      data: {
        runId,
        orgId: 'org-1',
        deviceId,
        jobId: 'job-1',
        jobVersion: 3,
        scheduleId: 's-1',
        scheduledFor: at(0),
        reason: 'misfire_skipped',
        recordedAt: at(30),
      },
    };
    given().when(missed).then([event]);
    given(event).when(missed).then([]);
    given(requested).when(missed).thenRejects('run_already_exists');
    expect(stateOf([event])).toMatchObject({ status: 'missed', trigger: { kind: 'schedule', scheduleId: 's-1' } });
  });

  it('opens one inbox task for a failed run that asked for it', () => {
    const failed: RunEvent = { type: 'RunFinished', data: { runId, outcome: 'failed', finishedAt: at(8), receivedAt: at(9) } };
    const history = [requested, dispatched, started, finished(0, false), failed];
    expect(needsTask(stateOf(history))).toBe(true);
    const opened: RunEvent = { type: 'RunTaskOpened', data: { runId, taskId: 't-1', openedAt: at(10) } };
    given(...history).when({ type: 'OpenTask', taskId: 't-1', now: at(10) }).then([opened]);
    given(...history, opened).when({ type: 'OpenTask', taskId: 't-2', now: at(11) }).then([]);
    expect(needsTask(stateOf([...history, opened]))).toBe(false);
    given(requested).when({ type: 'OpenTask', taskId: 't-1', now: at(10) }).thenRejects('run_not_active');
  });
});
