import type { Pool } from 'pg';
import { inTransaction } from '@taskinbox/database';
import { v7 as uuidv7 } from 'uuid';
import {
  cronProblem,
  type JobAction,
  jobLimits,
  type JobSpec,
  nextSlots,
  type ScheduleOrder,
} from '@taskinbox/device-protocol';
import type { Clock } from '../devices.clock';
import { devicesErrors } from '../devices.errors';
import { devicesOfGroups, groupsOfDevices, isEnrolledDevice } from '../groups/device.targets';
import type { JobDto, JobView } from './job.dto';
import type { ScheduleDto, ScheduleView } from './schedule.dto';

/** What jobs.spec holds: the JobSpec without its id, version and name. */
type StoredSpec = Omit<JobSpec, 'jobId' | 'version' | 'name'>;

interface JobRow {
  id: string;
  name: string;
  version: number;
  spec: StoredSpec;
  open_task_on_failure: boolean;
  retention_days: number;
  retention_count: number;
  created_at: Date;
  updated_at: Date;
}

interface ScheduleRow {
  id: string;
  job_id: string;
  cron: string;
  timezone: string;
  target_device: string | null;
  target_group: string | null;
  misfire: ScheduleView['misfire'];
  starting_deadline_seconds: number | null;
  overlap: ScheduleView['overlap'];
  enabled: boolean;
  active_from: Date;
  updated_at: Date;
}

export interface RunnableJob {
  spec: JobSpec;
  openTaskOnFailure: boolean;
}

/** A job's actions with every default filled in: what agents run and runs record. */
function normalise(actions: JobDto['actions']): JobAction[] {
  return actions.map((action): JobAction => {
    const timeoutSeconds = action.timeoutSeconds ?? jobLimits.defaultTimeoutSeconds;
    switch (action.type) {
      case 'HTTP_REQUEST':
        return {
          type: action.type,
          method: action.method,
          url: action.url,
          ...(action.headers?.length ? { headers: action.headers } : {}),
          ...(action.form?.length ? { form: action.form.map(({ key, value }) => ({ key, value })) } : {}),
          ...(action.body !== undefined ? { body: action.body } : {}),
          timeoutSeconds,
        };
      case 'SCRIPT':
        return { type: action.type, interpreter: action.interpreter ?? '/bin/sh', content: action.content, timeoutSeconds };
      case 'COMMAND':
        return {
          type: action.type,
          command: action.command,
          ...(action.arguments?.length ? { arguments: action.arguments } : {}),
          ...(action.environment?.length
            ? { environment: action.environment.map(({ key, value }) => ({ key, value })) }
            : {}),
          timeoutSeconds,
        };
      case 'READ_FILE':
        return { type: action.type, path: action.path, maxBytes: action.maxBytes ?? jobLimits.defaultOutputMaxBytes, timeoutSeconds };
    }
  });
}

const specOf = (dto: JobDto): StoredSpec => ({
  ...(dto.description?.trim() ? { description: dto.description.trim() } : {}),
  actions: normalise(dto.actions),
  onFailure: dto.onFailure ?? 'stop',
  runAs: dto.runAs ?? null,
  outputMaxBytes: dto.outputMaxBytes ?? jobLimits.defaultOutputMaxBytes,
});

const fullSpec = (row: Pick<JobRow, 'id' | 'name'>, version: number, spec: StoredSpec): JobSpec => ({
  jobId: row.id,
  version,
  name: row.name,
  ...spec,
});

/**
 * Jobs (the seed's Task) and their schedules. Each change of a job is a new version, kept, so a
 * run can name the version it ran; agents hear of changes by a wake-up and fetch their schedules.
 */
export class JobService {
  constructor(
    private readonly pool: Pool,
    private readonly clock: Clock,
    /** Devices whose schedules changed: they are woken to fetch them again. */
    private readonly schedulesChanged: (orgId: string, deviceIds: string[]) => Promise<void>,
  ) {}

  async list(orgId: string): Promise<JobView[]> {
    const { rows } = await this.pool.query<JobRow>(
      'SELECT * FROM jobs WHERE org_id = $1 AND deleted_at IS NULL ORDER BY name, id',
      [orgId],
    );
    const schedules = await this.scheduleRows(orgId, rows.map((row) => row.id));
    return rows.map((row) => this.view(row, schedules.filter((s) => s.job_id === row.id)));
  }

  async get(orgId: string, id: string): Promise<JobView> {
    const row = await this.row(this.pool, orgId, id);
    return this.view(row, await this.scheduleRows(orgId, [id]));
  }

  async create(orgId: string, createdBy: string, dto: JobDto): Promise<JobView> {
    const id = uuidv7();
    const spec = specOf(dto);
    await inTransaction(this.pool, async (client) => {
      await client.query(
        `INSERT INTO jobs (id, org_id, name, version, spec, open_task_on_failure, retention_days, retention_count, created_by)
         VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $8)`,
        [id, orgId, dto.name.trim(), JSON.stringify(spec), dto.openTaskOnFailure ?? false, dto.retentionDays ?? 30, dto.retentionCount ?? 100, createdBy],
      );
      await client.query('INSERT INTO job_versions (job_id, version, spec) VALUES ($1, 1, $2)', [
        id,
        JSON.stringify(fullSpec({ id, name: dto.name.trim() }, 1, spec)),
      ]);
    });
    return this.get(orgId, id);
  }

  async replace(orgId: string, id: string, dto: JobDto): Promise<JobView> {
    const spec = specOf(dto);
    await inTransaction(this.pool, async (client) => {
      const row = await this.row(client, orgId, id, true);
      const version = row.version + 1;
      await client.query(
        `UPDATE jobs SET name = $3, version = $4, spec = $5, open_task_on_failure = $6, retention_days = $7,
           retention_count = $8, updated_at = now() WHERE org_id = $1 AND id = $2`,
        [orgId, id, dto.name.trim(), version, JSON.stringify(spec), dto.openTaskOnFailure ?? false, dto.retentionDays ?? 30, dto.retentionCount ?? 100],
      );
      await client.query('INSERT INTO job_versions (job_id, version, spec) VALUES ($1, $2, $3)', [
        id,
        version,
        JSON.stringify(fullSpec({ id, name: dto.name.trim() }, version, spec)),
      ]);
    });
    await this.schedulesChanged(orgId, await this.scheduledDevices(orgId, id));
    return this.get(orgId, id);
  }

  /** Its history stays readable; its schedules stop. */
  async remove(orgId: string, id: string): Promise<void> {
    await this.row(this.pool, orgId, id);
    const devices = await this.scheduledDevices(orgId, id);
    await this.pool.query('UPDATE jobs SET deleted_at = now() WHERE org_id = $1 AND id = $2', [orgId, id]);
    await this.pool.query('DELETE FROM job_schedules WHERE job_id = $1', [id]);
    await this.schedulesChanged(orgId, devices);
  }

  /** The current version, to run now. */
  async runnable(orgId: string, id: string): Promise<RunnableJob> {
    const row = await this.row(this.pool, orgId, id);
    return { spec: fullSpec(row, row.version, row.spec), openTaskOnFailure: row.open_task_on_failure };
  }

  /** A version a scheduled run ran (the agent names it); also of a job deleted since. */
  async version(orgId: string, id: string, version: number): Promise<RunnableJob | undefined> {
    const { rows } = await this.pool.query<{ spec: JobSpec; open_task_on_failure: boolean }>(
      `SELECT v.spec, j.open_task_on_failure FROM job_versions v JOIN jobs j ON j.id = v.job_id
       WHERE j.org_id = $1 AND v.job_id = $2 AND v.version = $3`,
      [orgId, id, version],
    );
    return rows[0] && { spec: rows[0].spec, openTaskOnFailure: rows[0].open_task_on_failure };
  }

  // --- schedules ------------------------------------------------------------------------------

  async addSchedule(orgId: string, jobId: string, dto: ScheduleDto): Promise<ScheduleView> {
    await this.row(this.pool, orgId, jobId);
    const values = await this.scheduleValues(orgId, dto);
    const id = uuidv7();
    await this.pool.query(
      `INSERT INTO job_schedules (id, org_id, job_id, cron, timezone, target_device, target_group, misfire,
         starting_deadline_seconds, overlap, enabled, active_from)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [id, orgId, jobId, ...values],
    );
    await this.schedulesChanged(orgId, await this.targetDevices(orgId, [{ device: values[2], group: values[3] }]));
    return this.schedule(orgId, jobId, id);
  }

  async replaceSchedule(orgId: string, jobId: string, id: string, dto: ScheduleDto): Promise<ScheduleView> {
    const before = await this.schedule(orgId, jobId, id);
    const values = await this.scheduleValues(orgId, dto);
    await this.pool.query(
      `UPDATE job_schedules SET cron = $4, timezone = $5, target_device = $6, target_group = $7, misfire = $8,
         starting_deadline_seconds = $9, overlap = $10, enabled = $11, active_from = $12, updated_at = now()
       WHERE org_id = $1 AND job_id = $2 AND id = $3`,
      [orgId, jobId, id, ...values],
    );
    await this.schedulesChanged(
      orgId,
      await this.targetDevices(orgId, [
        { device: before.deviceId, group: before.groupId },
        { device: values[2], group: values[3] },
      ]),
    );
    return this.schedule(orgId, jobId, id);
  }

  async removeSchedule(orgId: string, jobId: string, id: string): Promise<void> {
    const before = await this.schedule(orgId, jobId, id);
    await this.pool.query('DELETE FROM job_schedules WHERE org_id = $1 AND job_id = $2 AND id = $3', [orgId, jobId, id]);
    await this.schedulesChanged(orgId, await this.targetDevices(orgId, [{ device: before.deviceId, group: before.groupId }]));
  }

  async schedule(orgId: string, jobId: string, id: string): Promise<ScheduleView> {
    const [row] = (await this.scheduleRows(orgId, [jobId])).filter((schedule) => schedule.id === id);
    if (!row) throw devicesErrors.scheduleNotFound();
    return this.scheduleView(row);
  }

  /** The schedule a scheduled run names, if it is this organisation's and this job's. */
  async scheduleOf(orgId: string, id: string): Promise<{ jobId: string } | undefined> {
    const { rows } = await this.pool.query<{ job_id: string }>(
      'SELECT job_id FROM job_schedules WHERE org_id = $1 AND id = $2',
      [orgId, id],
    );
    return rows[0] && { jobId: rows[0].job_id };
  }

  /** Every enabled schedule that reaches this device now, with the job it runs: the agent caches them. */
  async schedulesFor(orgId: string, deviceId: string): Promise<ScheduleOrder[]> {
    const groups = (await groupsOfDevices(this.pool, orgId, [deviceId])).get(deviceId) ?? [];
    const { rows } = await this.pool.query<ScheduleRow & JobRow & { schedule_id: string }>(
      `SELECT s.*, s.id AS schedule_id, j.name, j.version, j.spec FROM job_schedules s JOIN jobs j ON j.id = s.job_id
       WHERE s.org_id = $1 AND s.enabled AND j.deleted_at IS NULL
         AND (s.target_device = $2 OR s.target_group = ANY($3::uuid[]))
       ORDER BY s.id`,
      [orgId, deviceId, groups],
    );
    return rows.map((row) => ({
      scheduleId: row.schedule_id,
      cron: row.cron,
      timezone: row.timezone,
      misfire: row.misfire,
      startingDeadlineSeconds: row.starting_deadline_seconds,
      overlap: row.overlap,
      activeFrom: row.active_from.toISOString(),
      job: fullSpec({ id: row.job_id, name: row.name }, row.version, row.spec),
    }));
  }

  private async scheduleValues(orgId: string, dto: ScheduleDto) {
    const timezone = dto.timezone ?? 'UTC';
    const problem = cronProblem(dto.cron, timezone);
    if (problem) throw devicesErrors.invalid(problem.startsWith('timezone') ? 'timezone' : 'cron', problem.replace(/^(timezone|cron) /, ''));
    if (dto.deviceId !== undefined && dto.groupId !== undefined)
      throw devicesErrors.invalid('groupId', 'must not be given together with deviceId');
    if (dto.deviceId !== undefined && !(await isEnrolledDevice(this.pool, orgId, dto.deviceId)))
      throw devicesErrors.invalid('deviceId', 'names no enrolled device');
    if (dto.groupId !== undefined) {
      const { rowCount } = await this.pool.query('SELECT 1 FROM device_groups WHERE org_id = $1 AND id = $2', [orgId, dto.groupId]);
      if (rowCount !== 1) throw devicesErrors.invalid('groupId', 'names no device group');
    }
    return [
      dto.cron.trim(),
      timezone,
      dto.deviceId ?? null,
      dto.groupId ?? null,
      dto.misfire ?? 'run_once',
      dto.startingDeadlineSeconds ?? null,
      dto.overlap ?? 'forbid',
      dto.enabled ?? true,
      this.clock.now(),
    ] as const;
  }

  /** Devices reached by schedules with these targets (device ids and group ids). */
  private async targetDevices(orgId: string, targets: { device: string | null; group: string | null }[]): Promise<string[]> {
    const devices = targets.map((target) => target.device).filter((id): id is string => id !== null);
    const groupIds = targets.map((target) => target.group).filter((id): id is string => id !== null);
    const groups = await devicesOfGroups(this.pool, orgId, groupIds);
    return [...new Set([...devices, ...[...groups.values()].flat()])];
  }

  private async scheduledDevices(orgId: string, jobId: string): Promise<string[]> {
    const rows = await this.scheduleRows(orgId, [jobId]);
    return this.targetDevices(orgId, rows.map((row) => ({ device: row.target_device, group: row.target_group })));
  }

  private async row(db: Pick<Pool, 'query'>, orgId: string, id: string, lock = false): Promise<JobRow> {
    const { rows } = await db.query<JobRow>(
      `SELECT * FROM jobs WHERE org_id = $1 AND id = $2 AND deleted_at IS NULL${lock ? ' FOR UPDATE' : ''}`,
      [orgId, id],
    );
    if (!rows[0]) throw devicesErrors.jobNotFound();
    return rows[0];
  }

  private async scheduleRows(orgId: string, jobIds: string[]): Promise<ScheduleRow[]> {
    const { rows } = await this.pool.query<ScheduleRow>(
      'SELECT * FROM job_schedules WHERE org_id = $1 AND job_id = ANY($2::uuid[]) ORDER BY created_at, id',
      [orgId, jobIds],
    );
    return rows;
  }

  private scheduleView(row: ScheduleRow): ScheduleView {
    return {
      id: row.id,
      jobId: row.job_id,
      cron: row.cron,
      timezone: row.timezone,
      deviceId: row.target_device,
      groupId: row.target_group,
      misfire: row.misfire,
      startingDeadlineSeconds: row.starting_deadline_seconds,
      overlap: row.overlap,
      enabled: row.enabled,
      nextRuns: row.enabled ? nextSlots(row.cron, row.timezone, this.clock.now(), 3).map((at) => at.toISOString()) : [],
      activeFrom: row.active_from.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    };
  }

  private view(row: JobRow, schedules: ScheduleRow[]): JobView {
    const { description, actions, onFailure, runAs, outputMaxBytes } = row.spec;
    return {
      id: row.id,
      name: row.name,
      description: description ?? null,
      version: row.version,
      actions,
      onFailure,
      runAs,
      outputMaxBytes,
      openTaskOnFailure: row.open_task_on_failure,
      retentionDays: row.retention_days,
      retentionCount: row.retention_count,
      schedules: schedules.map((schedule) => this.scheduleView(schedule)),
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    };
  }

}
