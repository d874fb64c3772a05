import type { ClientBase } from 'pg';
import type { RecordedEvent } from '@taskinbox/event-store';
import { type DeviceEvent, deviceEventTypes, type RunEvent, runEventTypes } from '../pure';

/** Channel NOTIFYed after each projected batch, once per organisation it touched: `{"org":…}`. */
export const devicesChangedChannel = 'devices_changed';

const runEvent = (event: RecordedEvent): RunEvent | undefined =>
  event.streamId.startsWith('run-') && (runEventTypes as readonly string[]).includes(event.type)
    ? ({ type: event.type, data: event.data } as RunEvent)
    : undefined;

const deviceEvent = (event: RecordedEvent): DeviceEvent | undefined =>
  event.streamId.startsWith('device-') && (deviceEventTypes as readonly string[]).includes(event.type)
    ? ({ type: event.type, data: event.data } as DeviceEvent)
    : undefined;

/**
 * Writes what `events` change in device_views, run_views and run_action_views, inside the
 * caller's transaction; answers the organisations touched. Other streams are ignored.
 */
export async function projectDeviceEvents(db: ClientBase, events: readonly RecordedEvent[]): Promise<Set<string>> {
  const touched = new Set<string>();
  for (const recorded of events) {
    const run = runEvent(recorded);
    const device = run ? undefined : deviceEvent(recorded);
    if (!run && !device) continue;
    touched.add(recorded.metadata.orgId);
    if (run) await projectRun(db, run);
    else if (device) await projectDevice(db, device);
  }
  return touched;
}

async function projectRun(db: ClientBase, event: RunEvent): Promise<void> {
  switch (event.type) {
    case 'RunRequested': {
      const { runId, orgId, deviceId, job, trigger, requestedAt } = event.data;
      const scheduledFor = trigger.kind === 'schedule' ? trigger.scheduledFor : null;
      await db.query(
        `INSERT INTO run_views (run_id, org_id, device_id, job_id, job_version, job_name, job, trigger_kind,
           requested_by, batch_id, schedule_id, scheduled_for, status, action_count, at, updated_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'requested', $13, $14, $15, 1)
         ON CONFLICT (run_id) DO NOTHING`,
        [
          runId,
          orgId,
          deviceId,
          job.jobId,
          job.version,
          job.name,
          JSON.stringify(job),
          trigger.kind,
          trigger.kind === 'now' ? trigger.by : null,
          trigger.kind === 'now' ? (trigger.batchId ?? null) : null,
          trigger.kind === 'schedule' ? trigger.scheduleId : null,
          scheduledFor,
          job.actions.length,
          scheduledFor ?? requestedAt,
          requestedAt,
        ],
      );
      return;
    }
    case 'RunMissed': {
      const d = event.data;
      await db.query(
        `INSERT INTO run_views (run_id, org_id, device_id, job_id, job_version, job_name, trigger_kind, schedule_id,
           scheduled_for, status, action_count, missed_reason, at, finished_at, updated_at, version)
         VALUES ($1, $2, $3, $4, $5, (SELECT name FROM jobs WHERE id = $4), 'schedule', $6, $7, 'missed', 0, $8, $7, $9, $9, 1)
         ON CONFLICT (run_id) DO NOTHING`,
        [d.runId, d.orgId, d.deviceId, d.jobId, d.jobVersion, d.scheduleId, d.scheduledFor, d.reason, d.recordedAt],
      );
      return;
    }
    case 'RunDispatched':
      return update(db, event.data.runId, `status = 'dispatched', dispatched_at = $2`, [event.data.dispatchedAt]);
    case 'RunStarted':
      return update(db, event.data.runId, `status = 'running', started_at = $2`, [event.data.startedAt]);
    case 'ActionFinished': {
      const d = event.data;
      await db.query(
        `INSERT INTO run_action_views (run_id, index, action_type, ok, code, output, error, truncated, duration_ms, finished_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (run_id, index) DO NOTHING`,
        [d.runId, d.index, d.actionType, d.ok, d.code, d.output, d.error, d.truncated, d.durationMs, d.finishedAt],
      );
      return update(db, d.runId, 'actions_done = actions_done + 1', []);
    }
    case 'RunFinished':
      return update(db, event.data.runId, 'status = $2, finished_at = $3, error = $4', [
        event.data.outcome,
        event.data.finishedAt,
        event.data.error ?? null,
      ]);
    case 'RunCancelled':
      return update(db, event.data.runId, `status = 'cancelled', finished_at = $2, error = $3`, [
        event.data.cancelledAt,
        `Cancelled by ${event.data.by}: ${event.data.reason}`,
      ]);
    case 'RunTaskOpened':
      return update(db, event.data.runId, 'task_id = $2', [event.data.taskId]);
  }
}

async function update(db: ClientBase, runId: string, set: string, values: unknown[]): Promise<void> {
  await db.query(`UPDATE run_views SET ${set}, updated_at = now(), version = version + 1 WHERE run_id = $1`, [
    runId,
    ...values,
  ]);
}

async function projectDevice(db: ClientBase, event: DeviceEvent): Promise<void> {
  switch (event.type) {
    case 'DeviceEnrolled': {
      const d = event.data;
      await db.query(
        `INSERT INTO device_views (device_id, org_id, name, public_key, enrolled, facts, labels, enrolled_at, version)
         VALUES ($1, $2, $3, $4, true, $5, $6, $7, 1) ON CONFLICT (device_id) DO NOTHING`,
        [d.deviceId, d.orgId, d.name, d.publicKey, JSON.stringify(d.facts), JSON.stringify(d.labels), d.enrolledAt],
      );
      return;
    }
    case 'DeviceFactsReported':
      await db.query(
        'UPDATE device_views SET facts = $2, labels = $3, version = version + 1 WHERE device_id = $1',
        [event.data.deviceId, JSON.stringify(event.data.facts), JSON.stringify(event.data.labels)],
      );
      return;
    case 'DeviceRenamed':
      await db.query('UPDATE device_views SET name = $2, version = version + 1 WHERE device_id = $1', [
        event.data.deviceId,
        event.data.name,
      ]);
      return;
    case 'DeviceUnenrolled':
      await db.query(
        'UPDATE device_views SET enrolled = false, unenrolled_at = $2, version = version + 1 WHERE device_id = $1',
        [event.data.deviceId, event.data.unenrolledAt],
      );
      return;
  }
}
