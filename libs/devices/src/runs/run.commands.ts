import type { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import {
  type ActionReport,
  reportTextLimit,
  type RunCancelledReport,
  type RunFinishReport,
  type RunMissedReport,
  type RunOrder,
  type RunStartReport,
  type RunStatusView,
  scheduledRunId,
} from '@taskinbox/device-protocol';
import type { AppendContext, RunStore } from '../aggregates';
import type { Clock } from '../devices.clock';
import { DeviceCommandRefused, devicesErrors } from '../devices.errors';
import { devicesOfGroups, isEnrolledDevice } from '../groups/device.targets';
import type { JobService } from '../jobs/job.service';
import type { DeviceMessaging } from '../nats/device.messaging';
import { type ExistingRun, type Run, type RunCommand, RunNotFound } from '../pure';
import type { RunTaskOpener } from './run-task.opener';

/** A device acting for itself, as the agent guard found it. */
export interface DeviceCaller {
  deviceId: string;
  orgId: string;
}

/** A person acting in an organisation. */
export interface UserCaller {
  orgId: string;
  userId: string;
}

const pendingStatuses = ['requested', 'dispatched', 'running'];

/**
 * Everything that changes runs: run now and cancel for people, and each step a device reports.
 * Every change is decided by the run decider on the run's own stream; a device only ever reaches
 * runs of its own (another's answers like a missing run).
 */
export class RunCommands {
  constructor(
    private readonly runs: RunStore,
    private readonly pool: Pool,
    private readonly jobs: JobService,
    private readonly messaging: DeviceMessaging,
    private readonly tasks: RunTaskOpener,
    private readonly clock: Clock,
  ) {}

  /** One run per device: the device itself, or every enrolled device of the group now. */
  async runNow(
    caller: UserCaller,
    jobId: string,
    target: { deviceId?: string; groupId?: string },
    correlationId: string,
  ): Promise<{ batchId: string | null; runs: { runId: string; deviceId: string }[] }> {
    const job = await this.jobs.runnable(caller.orgId, jobId);
    let devices: string[];
    let batchId: string | null = null;
    if (target.groupId !== undefined) {
      const { rowCount } = await this.pool.query('SELECT 1 FROM device_groups WHERE org_id = $1 AND id = $2', [
        caller.orgId,
        target.groupId,
      ]);
      if (rowCount !== 1) throw devicesErrors.groupNotFound();
      devices = (await devicesOfGroups(this.pool, caller.orgId, [target.groupId])).get(target.groupId) ?? [];
      if (devices.length === 0) throw devicesErrors.noTargetDevices('The group');
      batchId = uuidv7();
    } else {
      if (!(await isEnrolledDevice(this.pool, caller.orgId, target.deviceId!))) throw new DeviceCommandRefused(new RunNotFound());
      devices = [target.deviceId!];
    }
    const now = this.clock.now().toISOString();
    const trigger = { kind: 'now' as const, by: `user:${caller.userId}`, ...(batchId ? { batchId } : {}) };
    const runs = devices.map((deviceId) => ({ runId: uuidv7(), deviceId }));
    await Promise.all(
      runs.map(({ runId, deviceId }) =>
        this.runs.execute(
          runId,
          () => ({ orgId: caller.orgId, actor: `user:${caller.userId}`, correlationId }),
          () => [
            {
              type: 'RequestRun',
              runId,
              orgId: caller.orgId,
              deviceId,
              job: job.spec,
              openTaskOnFailure: job.openTaskOnFailure,
              trigger,
              now,
            },
          ],
        ),
      ),
    );
    // Appended first: a device woken now finds its run in the run's stream.
    await Promise.all(runs.map(({ runId, deviceId }) => this.messaging.wake(deviceId, { kind: 'run', runId })));
    return { batchId, runs };
  }

  async cancel(caller: UserCaller, runId: string, reason: string, correlationId: string): Promise<void> {
    const { state } = await this.runs.execute(
      runId,
      (run) => this.context(run, `user:${caller.userId}`, correlationId),
      (run) => {
        this.visibleTo(run, caller.orgId);
        return [{ type: 'CancelRun', by: `user:${caller.userId}`, reason, now: this.clock.now().toISOString() }];
      },
    );
    if (state.exists) await this.messaging.wake(state.deviceId, { kind: 'cancel', runId });
  }

  /** Unenrolment drops the device's queue: each run not finished is cancelled. */
  async dropQueue(orgId: string, deviceId: string, by: string, correlationId: string): Promise<void> {
    const { rows } = await this.pool.query<{ run_id: string }>(
      'SELECT run_id FROM run_views WHERE org_id = $1 AND device_id = $2 AND status = ANY($3)',
      [orgId, deviceId, pendingStatuses],
    );
    for (const { run_id: runId } of rows) {
      await this.runs
        .execute(
          runId,
          (run) => this.context(run, by, correlationId),
          () => [{ type: 'CancelRun', by, reason: 'the device was unenrolled', now: this.clock.now().toISOString() }],
        )
        .catch((error: unknown) => {
          // Finished meanwhile: nothing to drop.
          if (!(error instanceof DeviceCommandRefused && error.code === 'run_not_active')) throw error;
        });
    }
  }

  /**
   * Runs still waiting for devices that are unenrolled: a run asked for an instant before the
   * unenrolment may not have reached the read model when the queue was dropped.
   */
  async dropOrphanedQueues(correlationId: string): Promise<void> {
    const { rows } = await this.pool.query<{ org_id: string; device_id: string }>(
      `SELECT DISTINCT r.org_id, r.device_id FROM run_views r JOIN device_access a ON a.device_id = r.device_id
       WHERE a.unenrolled_at IS NOT NULL AND r.status = ANY($1)`,
      [pendingStatuses],
    );
    for (const row of rows) await this.dropQueue(row.org_id, row.device_id, 'taskinbox', correlationId);
  }

  // --- what a device reports --------------------------------------------------------------------

  /** The device fetches a run it was woken for (or found pending): it has the job from now on. */
  async dispatch(device: DeviceCaller, runId: string, correlationId: string): Promise<RunOrder> {
    const { state } = await this.device(device, runId, correlationId, () => [
      { type: 'DispatchRun', deviceId: device.deviceId, now: this.clock.now().toISOString() },
    ]);
    return orderOf(state);
  }

  async start(device: DeviceCaller, runId: string, report: RunStartReport, correlationId: string): Promise<void> {
    const now = this.clock.now().toISOString();
    const requested = report.schedule ? await this.scheduledRequest(device, runId, report.schedule, now) : [];
    await this.device(device, runId, correlationId, (run) => [
      // A slot the agent fired on its own: the server hears of the run only now.
      ...(run.exists ? [] : requested),
      { type: 'StartRun', deviceId: device.deviceId, startedAt: report.startedAt, now },
    ]);
  }

  async finishAction(
    device: DeviceCaller,
    runId: string,
    index: number,
    report: ActionReport,
    correlationId: string,
  ): Promise<void> {
    await this.device(device, runId, correlationId, (run) => {
      const cap = run.exists && run.job ? reportTextLimit(run.job.outputMaxBytes) : 0;
      if (run.exists && run.job) {
        if (report.output.length > cap) throw devicesErrors.invalid('output', `must be at most ${cap} characters (the job's cap)`);
        if (report.error.length > cap) throw devicesErrors.invalid('error', `must be at most ${cap} characters (the job's cap)`);
      }
      return [{ type: 'FinishAction', deviceId: device.deviceId, index, report, now: this.clock.now().toISOString() }];
    });
  }

  async finish(device: DeviceCaller, runId: string, report: RunFinishReport, correlationId: string): Promise<void> {
    const { state } = await this.device(device, runId, correlationId, () => [
      {
        type: 'FinishRun',
        deviceId: device.deviceId,
        finishedAt: report.finishedAt,
        error: report.error,
        now: this.clock.now().toISOString(),
      },
    ]);
    // Also when the finish was recorded before: a retry heals a task that was not opened.
    if (state.exists) await this.tasks.ensure(state, correlationId);
  }

  async missed(device: DeviceCaller, runId: string, report: RunMissedReport, correlationId: string): Promise<void> {
    const schedule = await this.checkSlot(device, runId, report.scheduleId, report.scheduledFor);
    if (!(await this.jobs.version(device.orgId, schedule.jobId, report.jobVersion)))
      throw devicesErrors.invalid('jobVersion', 'names no version of the schedule\'s job');
    await this.device(device, runId, correlationId, () => [
      {
        type: 'RecordMissed',
        runId,
        orgId: device.orgId,
        deviceId: device.deviceId,
        jobId: schedule.jobId,
        jobVersion: report.jobVersion,
        scheduleId: report.scheduleId,
        scheduledFor: new Date(report.scheduledFor).toISOString(),
        reason: report.reason,
        ...(report.earlierNotRecorded ? { earlierNotRecorded: report.earlierNotRecorded } : {}),
        now: this.clock.now().toISOString(),
      },
    ]);
  }

  /** The device cancelled its own run (overlap policy replace). */
  async cancelledByDevice(
    device: DeviceCaller,
    runId: string,
    report: RunCancelledReport,
    correlationId: string,
  ): Promise<void> {
    await this.device(device, runId, correlationId, (run) =>
      run.exists && run.status === 'cancelled'
        ? []
        : [
            {
              type: 'CancelRun',
              by: `device:${device.deviceId}`,
              deviceId: device.deviceId,
              reason: report.reason,
              now: report.cancelledAt,
            },
          ],
    );
  }

  async status(device: DeviceCaller, runId: string): Promise<RunStatusView> {
    const { state } = await this.runs.load(runId);
    if (!state.exists || state.deviceId !== device.deviceId || state.orgId !== device.orgId)
      throw new DeviceCommandRefused(new RunNotFound());
    return { runId, status: state.status };
  }

  /** Runs waiting for this device (from the read model: a run requested this instant also comes by wake-up). */
  async pending(device: DeviceCaller): Promise<RunOrder[]> {
    const { rows } = await this.pool.query<{ run_id: string }>(
      `SELECT run_id FROM run_views WHERE device_id = $1 AND org_id = $2 AND status IN ('requested', 'dispatched')
       ORDER BY at, run_id LIMIT 100`,
      [device.deviceId, device.orgId],
    );
    const orders: RunOrder[] = [];
    for (const { run_id: runId } of rows) {
      const { state } = await this.runs.load(runId);
      if (state.exists && state.job && (state.status === 'requested' || state.status === 'dispatched'))
        orders.push(orderOf(state));
    }
    return orders;
  }

  // --- helpers ----------------------------------------------------------------------------------

  private device(
    device: DeviceCaller,
    runId: string,
    correlationId: string,
    commands: (run: Run) => RunCommand[],
  ): Promise<{ state: Run }> {
    return this.runs.execute(
      runId,
      () => ({ orgId: device.orgId, actor: `device:${device.deviceId}`, correlationId }),
      (run) => {
        if (run.exists && (run.orgId !== device.orgId || run.deviceId !== device.deviceId))
          throw new DeviceCommandRefused(new RunNotFound());
        return commands(run);
      },
    );
  }

  /** The RequestRun of a scheduled slot a device reports: its id must be the slot's, its job a version of the schedule's. */
  private async scheduledRequest(
    device: DeviceCaller,
    runId: string,
    slot: NonNullable<RunStartReport['schedule']>,
    now: string,
  ): Promise<RunCommand[]> {
    const schedule = await this.checkSlot(device, runId, slot.scheduleId, slot.scheduledFor);
    const job = await this.jobs.version(device.orgId, schedule.jobId, slot.jobVersion);
    if (!job) throw devicesErrors.invalid('schedule.jobVersion', "names no version of the schedule's job");
    return [
      {
        type: 'RequestRun',
        runId,
        orgId: device.orgId,
        deviceId: device.deviceId,
        job: job.spec,
        openTaskOnFailure: job.openTaskOnFailure,
        trigger: { kind: 'schedule', scheduleId: slot.scheduleId, scheduledFor: new Date(slot.scheduledFor).toISOString() },
        now,
      },
    ];
  }

  private async checkSlot(
    device: DeviceCaller,
    runId: string,
    scheduleId: string,
    scheduledFor: string,
  ): Promise<{ jobId: string }> {
    const schedule = await this.jobs.scheduleOf(device.orgId, scheduleId);
    if (!schedule) throw devicesErrors.invalid('scheduleId', 'names no schedule of this organisation');
    if (scheduledRunId(scheduleId, device.deviceId, new Date(scheduledFor)) !== runId)
      throw devicesErrors.invalid('runId', 'is not the id of this schedule slot on this device');
    return schedule;
  }

  private context(run: Run, actor: string, correlationId: string): AppendContext {
    if (!run.exists) throw new DeviceCommandRefused(new RunNotFound());
    return { orgId: run.orgId, actor, correlationId };
  }

  private visibleTo(run: Run, orgId: string): asserts run is ExistingRun {
    if (!run.exists || run.orgId !== orgId) throw new DeviceCommandRefused(new RunNotFound());
  }
}

function orderOf(run: Run): RunOrder {
  if (!run.exists || !run.job) throw new DeviceCommandRefused(new RunNotFound());
  return { runId: run.runId, job: run.job, trigger: run.trigger, requestedAt: run.requestedAt };
}
