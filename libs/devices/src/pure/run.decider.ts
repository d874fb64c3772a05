import type { ActionReport, JobSpec, MissedReason, RunStatus, RunTrigger } from '@taskinbox/device-protocol';
import {
  InvalidRunReport,
  RunAlreadyExists,
  RunNotActive,
  RunNotFound,
  type RunRejection,
} from './device.rejections';
import type { RunEvent } from './run.events';

// The run as a pure decider: decide(command, state) -> events, evolve(state, event) -> state.
// No I/O, no clock (time comes in the command), rejections returned, never thrown. A device may
// report the same thing any number of times (it retries until it hears 2xx): a repeat decides
// no events, so nothing is applied twice.

export type RunCommand =
  | {
      type: 'RequestRun';
      runId: string;
      orgId: string;
      deviceId: string;
      job: JobSpec;
      openTaskOnFailure: boolean;
      trigger: RunTrigger;
      now: string;
    }
  | { type: 'DispatchRun'; deviceId: string; now: string }
  | { type: 'StartRun'; deviceId: string; startedAt: string; now: string }
  | { type: 'FinishAction'; deviceId: string; index: number; report: ActionReport; now: string }
  | { type: 'FinishRun'; deviceId: string; finishedAt: string; error?: string; now: string }
  | {
      type: 'RecordMissed';
      runId: string;
      orgId: string;
      deviceId: string;
      jobId: string;
      jobVersion: number;
      scheduleId: string;
      scheduledFor: string;
      reason: MissedReason;
      earlierNotRecorded?: number;
      now: string;
    }
  /** deviceId: the device cancels its own run (overlap policy replace). */
  | { type: 'CancelRun'; by: string; reason: string; deviceId?: string; now: string }
  | { type: 'OpenTask'; taskId: string; now: string };

export interface ExistingRun {
  exists: true;
  runId: string;
  orgId: string;
  deviceId: string;
  jobId: string;
  jobVersion: number;
  /** The job as requested; a missed slot has none. */
  job: JobSpec | null;
  openTaskOnFailure: boolean;
  trigger: RunTrigger;
  requestedAt: string;
  status: RunStatus;
  /** ok of each reported action, by index. */
  actions: Record<number, boolean>;
  error?: string;
  taskId?: string;
  version: number;
}

export type Run = { exists: false } | ExistingRun;

export type RunDecision = { ok: true; events: RunEvent[] } | { ok: false; rejection: RunRejection };

export const runStreamName = (runId: string): string => `run-${runId}`;
export const initialRun = (): Run => ({ exists: false });

export function evolveRun(state: Run, event: RunEvent): Run {
  switch (event.type) {
    case 'RunRequested': {
      const { runId, orgId, deviceId, job, openTaskOnFailure, trigger, requestedAt } = event.data;
      return {
        exists: true,
        runId,
        orgId,
        deviceId,
        jobId: job.jobId,
        jobVersion: job.version,
        job,
        openTaskOnFailure,
        trigger,
        requestedAt,
        status: 'requested',
        actions: {},
        version: 1,
      };
    }
    case 'RunMissed': {
      const { runId, orgId, deviceId, jobId, jobVersion, scheduleId, scheduledFor } = event.data;
      return {
        exists: true,
        runId,
        orgId,
        deviceId,
        jobId,
        jobVersion,
        job: null,
        openTaskOnFailure: false,
        trigger: { kind: 'schedule', scheduleId, scheduledFor },
        requestedAt: scheduledFor,
        status: 'missed',
        actions: {},
        version: 1,
      };
    }
  }
  if (!state.exists) return state;
  const run: ExistingRun = { ...state, version: state.version + 1 };
  switch (event.type) {
    case 'RunDispatched':
      return { ...run, status: 'dispatched' };
    case 'RunStarted':
      return { ...run, status: 'running' };
    case 'ActionFinished':
      return { ...run, actions: { ...run.actions, [event.data.index]: event.data.ok } };
    case 'RunFinished':
      return { ...run, status: event.data.outcome, error: event.data.error };
    case 'RunCancelled':
      return { ...run, status: 'cancelled' };
    case 'RunTaskOpened':
      return { ...run, taskId: event.data.taskId };
  }
}

const terminal = (status: RunStatus): boolean =>
  status === 'succeeded' || status === 'failed' || status === 'missed' || status === 'cancelled';

export function decideRun(command: RunCommand, state: Run): RunDecision {
  if (command.type === 'RequestRun') {
    if (state.exists) {
      // A scheduled slot reported again (the agent retried) is the same run: nothing new.
      const same = state.deviceId === command.deviceId && JSON.stringify(state.trigger) === JSON.stringify(command.trigger);
      return same ? accept() : reject(new RunAlreadyExists());
    }
    if (command.job.actions.length === 0) return reject(new InvalidRunReport('the job has no actions'));
    const { runId, orgId, deviceId, job, openTaskOnFailure, trigger, now } = command;
    return accept({
      type: 'RunRequested',
      data: { runId, orgId, deviceId, job, openTaskOnFailure, trigger, requestedAt: now },
    });
  }
  if (command.type === 'RecordMissed') {
    if (state.exists) {
      const same = state.status === 'missed' && state.deviceId === command.deviceId;
      return same ? accept() : reject(new RunAlreadyExists());
    }
    const { type: _type, now, ...data } = command;
    return accept({ type: 'RunMissed', data: { ...data, recordedAt: now } });
  }
  if (!state.exists) return reject(new RunNotFound());
  // A device learns of no run but its own: another's answers exactly like a missing one.
  if ('deviceId' in command && command.deviceId !== state.deviceId) return reject(new RunNotFound());

  const { runId, status } = state;
  switch (command.type) {
    case 'DispatchRun':
      if (status === 'requested')
        return accept({ type: 'RunDispatched', data: { runId, deviceId: state.deviceId, dispatchedAt: command.now } });
      if (status === 'dispatched' || status === 'running') return accept();
      return reject(new RunNotActive('dispatch', status));

    case 'StartRun':
      if (status === 'requested' || status === 'dispatched') {
        return accept({
          type: 'RunStarted',
          data: { runId, deviceId: state.deviceId, startedAt: command.startedAt, receivedAt: command.now },
        });
      }
      // Started before (a retried report, even after the run ended).
      if (status === 'running' || status === 'succeeded' || status === 'failed') return accept();
      return reject(new RunNotActive('start', status));

    case 'FinishAction': {
      const { index, report } = command;
      if (index in state.actions) return accept();
      if (status !== 'running') return reject(new RunNotActive('report an action of', status));
      const actions = state.job?.actions ?? [];
      if (!Number.isInteger(index) || index < 0 || index >= actions.length) {
        return reject(new InvalidRunReport(`action index must be from 0 to ${actions.length - 1}`));
      }
      if (Object.keys(state.actions).some((done) => Number(done) > index)) {
        return reject(new InvalidRunReport(`action ${index} is reported after a later one`));
      }
      return accept({
        type: 'ActionFinished',
        data: {
          runId,
          index,
          actionType: actions[index].type,
          code: report.code,
          ok: report.ok,
          output: report.output,
          error: report.error,
          truncated: report.truncated,
          durationMs: report.durationMs,
          finishedAt: report.finishedAt,
        },
      });
    }

    case 'FinishRun': {
      if (status === 'succeeded' || status === 'failed') return accept();
      if (status !== 'running') return reject(new RunNotActive('finish', status));
      const oks = Object.values(state.actions);
      const all = state.job !== null && oks.length === state.job.actions.length && oks.every(Boolean);
      const error = command.error?.trim();
      return accept({
        type: 'RunFinished',
        data: {
          runId,
          outcome: all && !error ? 'succeeded' : 'failed',
          ...(error ? { error } : {}),
          finishedAt: command.finishedAt,
          receivedAt: command.now,
        },
      });
    }

    case 'CancelRun':
      if (terminal(status)) return reject(new RunNotActive('cancel', status));
      return accept({
        type: 'RunCancelled',
        data: { runId, by: command.by, reason: command.reason.trim() || 'cancelled', cancelledAt: command.now },
      });

    case 'OpenTask':
      if (state.taskId !== undefined) return accept();
      if (status !== 'failed') return reject(new RunNotActive('open a task for', status));
      return accept({ type: 'RunTaskOpened', data: { runId, taskId: command.taskId, openedAt: command.now } });
  }
}

/** Whether a run in this state should open an inbox task now (failed, asked for, none yet). */
export const needsTask = (run: Run): boolean =>
  run.exists && run.status === 'failed' && run.openTaskOnFailure && run.taskId === undefined;

export const runDecider = { decide: decideRun, evolve: evolveRun, initialState: initialRun };

const accept = (...events: RunEvent[]): RunDecision => ({ ok: true, events });
const reject = (rejection: RunRejection): RunDecision => ({ ok: false, rejection });
