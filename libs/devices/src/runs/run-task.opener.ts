import type { Pool } from 'pg';
import type { TaskCommandHandler } from '@taskinbox/ingest';
import type { RunStore } from '../aggregates';
import { type ExistingRun, needsTask } from '../pure';

/** The task type of the inbox tasks failed runs open. */
export const failedRunTaskType = 'device.run.failed';

/**
 * Opens the inbox task of a failed run whose job asks for one, through the task command path,
 * and links it to the run (RunTaskOpened). Safe to call any number of times: the task is created
 * under an idempotency key of the run, and the link is recorded once. Called whenever a device
 * reports a run's end, so a crash between the two steps heals at the device's retry.
 */
export class RunTaskOpener {
  constructor(
    private readonly pool: Pool,
    private readonly tasks: TaskCommandHandler,
    private readonly runs: RunStore,
  ) {}

  async ensure(run: ExistingRun, correlationId: string): Promise<void> {
    if (!needsTask(run)) return;
    const { rows } = await this.pool.query<{ name: string }>('SELECT name FROM device_views WHERE device_id = $1', [
      run.deviceId,
    ]);
    const device = rows[0]?.name ?? run.deviceId;
    const job = run.job?.name ?? run.jobId;
    const failed = Object.entries(run.actions)
      .filter(([, ok]) => !ok)
      .map(([index]) => Number(index));
    const principal = {
      orgId: run.orgId,
      actor: { kind: 'service' as const, id: run.deviceId, name: `device ${device}` },
      scopes: ['tasks:write' as const],
    };
    const { task } = await this.tasks.create(
      principal,
      {
        taskType: failedRunTaskType,
        title: `Job "${job}" failed on ${device}`.slice(0, 200),
        description: run.error ? `The run failed: ${run.error}`.slice(0, 2000) : `Failed actions: ${failed.join(', ') || 'none reported'}.`,
        payload: {
          runId: run.runId,
          jobId: run.jobId,
          jobVersion: run.jobVersion,
          jobName: job,
          deviceId: run.deviceId,
          deviceName: device,
          failedActions: failed,
          ...(run.error ? { error: run.error } : {}),
          link: `/devices/runs/${run.runId}`,
        },
        externalRef: `run:${run.runId}`,
        priority: 'high',
        tags: ['device', 'run-failed'],
      },
      correlationId,
      `run-failed:${run.runId}`,
    );
    await this.runs.execute(
      run.runId,
      () => ({ orgId: run.orgId, actor: `device:${run.deviceId}`, correlationId }),
      () => [{ type: 'OpenTask', taskId: task.id, now: new Date().toISOString() }],
    );
  }
}
