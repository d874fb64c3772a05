import type { Pool } from 'pg';
import { describeAction, type JobSpec } from '@taskinbox/device-protocol';
import { DeviceCommandRefused, devicesErrors } from '../devices.errors';
import { RunNotFound } from '../pure';
import type { ActionResultView, RunDetail, RunListQuery, RunPage, RunSummary } from './run.dto';

interface Row {
  run_id: string;
  job_id: string;
  job_version: number;
  job_name: string | null;
  job: JobSpec | null;
  device_id: string;
  device_name: string | null;
  trigger_kind: string;
  requested_by: string | null;
  batch_id: string | null;
  schedule_id: string | null;
  scheduled_for: Date | null;
  status: RunSummary['status'];
  action_count: number;
  actions_done: number;
  error: string | null;
  missed_reason: string | null;
  task_id: string | null;
  at: Date;
  cursor_at: string;
  dispatched_at: Date | null;
  started_at: Date | null;
  finished_at: Date | null;
}

const iso = (date: Date | null): string | null => date?.toISOString() ?? null;
const select = `SELECT r.*, d.name AS device_name,
  to_char(r.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at
  FROM run_views r LEFT JOIN device_views d ON d.device_id = r.device_id`;

function summary(row: Row): RunSummary {
  return {
    id: row.run_id,
    jobId: row.job_id,
    jobVersion: row.job_version,
    jobName: row.job_name,
    deviceId: row.device_id,
    deviceName: row.device_name,
    trigger: row.trigger_kind,
    requestedBy: row.requested_by,
    batchId: row.batch_id,
    scheduleId: row.schedule_id,
    scheduledFor: iso(row.scheduled_for),
    status: row.status,
    actionCount: row.action_count,
    actionsDone: row.actions_done,
    error: row.error,
    missedReason: row.missed_reason,
    taskId: row.task_id,
    at: row.at.toISOString(),
    dispatchedAt: iso(row.dispatched_at),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
  };
}

const encodeCursor = (row: Row): string => Buffer.from(JSON.stringify([row.cursor_at, row.run_id])).toString('base64url');

function decodeCursor(cursor: string): [string, string] {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && !Number.isNaN(Date.parse(at)) && typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id))
      return [at, id];
  } catch {
    // reported below
  }
  throw devicesErrors.invalid('cursor', 'is not a cursor this list gave');
}

/** Run history and output, from the read models: newest first, one organisation only. */
export class RunQueries {
  constructor(private readonly pool: Pool) {}

  async list(orgId: string, query: RunListQuery): Promise<RunPage> {
    const where = ['r.org_id = $1'];
    const values: unknown[] = [orgId];
    const add = (sql: string, value: unknown) => {
      values.push(value);
      where.push(sql.replace('?', `$${values.length}`));
    };
    if (query.jobId) add('r.job_id = ?', query.jobId);
    if (query.deviceId) add('r.device_id = ?', query.deviceId);
    if (query.batchId) add('r.batch_id = ?', query.batchId);
    if (query.status) add('r.status = ?', query.status);
    if (query.cursor) {
      const [at, id] = decodeCursor(query.cursor);
      values.push(at, id);
      where.push(`(r.at, r.run_id) < ($${values.length - 1}::timestamptz, $${values.length}::uuid)`);
    }
    const limit = query.limit ?? 50;
    values.push(limit + 1);
    const { rows } = await this.pool.query<Row>(
      `${select} WHERE ${where.join(' AND ')} ORDER BY r.at DESC, r.run_id DESC LIMIT $${values.length}`,
      values,
    );
    const more = rows.length > limit;
    const page = rows.slice(0, limit);
    return { items: page.map(summary), nextCursor: more ? encodeCursor(page[page.length - 1]) : null };
  }

  async get(orgId: string, runId: string): Promise<RunDetail> {
    const { rows } = await this.pool.query<Row>(`${select} WHERE r.org_id = $1 AND r.run_id = $2`, [orgId, runId]);
    const row = rows[0];
    if (!row) throw new DeviceCommandRefused(new RunNotFound());
    const actions = await this.pool.query<{
      index: number;
      action_type: string;
      ok: boolean;
      code: number | null;
      output: string;
      error: string;
      truncated: boolean;
      duration_ms: number;
      finished_at: Date;
    }>('SELECT * FROM run_action_views WHERE run_id = $1 ORDER BY index', [runId]);
    const spec = row.job;
    return {
      ...summary(row),
      job: spec,
      actions: actions.rows.map(
        (action): ActionResultView => ({
          index: action.index,
          type: action.action_type,
          summary: spec?.actions[action.index] ? describeAction(spec.actions[action.index]) : action.action_type,
          ok: action.ok,
          code: action.code,
          output: action.output,
          error: action.error,
          truncated: action.truncated,
          durationMs: action.duration_ms,
          finishedAt: action.finished_at.toISOString(),
        }),
      ),
    };
  }
}
