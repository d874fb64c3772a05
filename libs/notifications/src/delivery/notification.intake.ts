import type { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import type { Actor, AssigneeRef, Priority, TaskEvent } from '@taskinbox/domain';
import type { RecordedEvent } from '@taskinbox/event-store';
import { RejectedCommand } from '@taskinbox/http';
import type { TaskCommandHandler } from '@taskinbox/ingest';
import { escalationActor } from '@taskinbox/oncall';
import type { NotificationQueue } from './notification.queue';

type Assigned = Extract<TaskEvent, { type: 'TaskAssigned' }>['data'];
type Created = Extract<TaskEvent, { type: 'TaskCreated' }>['data'];

interface Notice {
  kind: 'assigned' | 'escalated' | 'urgent';
  orgId: string;
  taskId: string;
  eventId: string;
  recipients: string[];
  urgency: Priority;
  title: string;
  body: string;
}

/** News older than this when the log is read (a first start on old history, a long outage) is not sent. */
const staleAfterMs = 24 * 3600_000;
const reader: Actor = { kind: 'system', id: 'notifications', name: 'notifications' };

/**
 * Turns task events into notifications per person: an assignment to a person or a group (its
 * members), an escalation, a new urgent task (every admin and member). One row per event and
 * person, so reading the log again makes none twice; each new row is enqueued for delivery.
 */
export class NotificationIntake {
  constructor(
    private readonly pool: Pool,
    private readonly tasks: TaskCommandHandler,
    private readonly queue: NotificationQueue,
  ) {}

  async handle(events: RecordedEvent[]): Promise<void> {
    for (const event of events) {
      if (Date.now() - event.createdAt.getTime() > staleAfterMs) continue;
      const notice =
        event.type === 'TaskAssigned'
          ? await this.assigned(event.id, event.metadata.orgId, event.data as Assigned)
          : event.type === 'TaskCreated'
            ? await this.urgent(event.id, event.data as Created)
            : undefined;
      // A failed enqueue is not retried here: the sweep finds the undelivered rows.
      if (notice) await this.queue.deliver(await this.record(notice)).catch(() => undefined);
    }
  }

  private async assigned(eventId: string, orgId: string, data: Assigned): Promise<Notice | undefined> {
    const task = await this.task(orgId, data.taskId);
    if (!task) return undefined;
    const escalated = data.by.kind === 'system' && data.by.id === escalationActor.id;
    return {
      kind: escalated ? 'escalated' : 'assigned',
      orgId,
      taskId: data.taskId,
      eventId,
      recipients: await this.people(orgId, data.assignee, data.by),
      urgency: task.priority ?? 'normal',
      title: `${escalated ? 'Escalated to you' : 'Assigned to you'}: ${task.title}`,
      body: describe(task.taskType, task.priority),
    };
  }

  private async urgent(eventId: string, data: Created): Promise<Notice | undefined> {
    if (data.priority !== 'urgent') return undefined;
    const { rows } = await this.pool.query<{ user_id: string }>(
      `SELECT user_id FROM memberships WHERE org_id = $1 AND blocked_at IS NULL AND role IN ('admin', 'member')`,
      [data.orgId],
    );
    return {
      kind: 'urgent',
      orgId: data.orgId,
      taskId: data.taskId,
      eventId,
      recipients: rows.map((row) => row.user_id).filter((id) => !(data.source.kind === 'user' && data.source.id === id)),
      urgency: 'urgent',
      title: `New urgent task: ${data.title}`,
      body: describe(data.taskType, data.priority),
    };
  }

  /** The people an assignee names, still members of the organisation, but not whoever assigned it. */
  private async people(orgId: string, assignee: AssigneeRef, by: Actor): Promise<string[]> {
    const { rows } = await this.pool.query<{ user_id: string }>(
      assignee.kind === 'user'
        ? `SELECT user_id FROM memberships WHERE org_id = $1 AND blocked_at IS NULL AND user_id = $2::uuid`
        : `SELECT m.user_id FROM user_group_members gm
             JOIN user_groups g ON g.id = gm.group_id AND g.org_id = $1
             JOIN memberships m ON m.user_id = gm.user_id AND m.org_id = $1 AND m.blocked_at IS NULL
            WHERE g.id = $2::uuid`,
      [orgId, assignee.id],
    );
    return rows.map((row) => row.user_id).filter((id) => !(by.kind === 'user' && by.id === id));
  }

  private async task(orgId: string, taskId: string) {
    try {
      return (await this.tasks.load({ orgId, actor: reader, scopes: [] }, taskId)).task;
    } catch (error) {
      if (error instanceof RejectedCommand) return undefined;
      throw error;
    }
  }

  private async record(notice: Notice): Promise<string[]> {
    if (notice.recipients.length === 0) return [];
    const { rows } = await this.pool.query<{ id: string }>(
      `INSERT INTO notifications (id, org_id, user_id, task_id, source_event_id, kind, urgency, title, body)
       SELECT t.id, $2, t.user_id, $3, $4, $5, $6, $7, $8 FROM unnest($1::uuid[], $9::uuid[]) AS t(id, user_id)
       ON CONFLICT (source_event_id, user_id) DO NOTHING
       RETURNING id`,
      [
        notice.recipients.map(() => uuidv7()),
        notice.orgId,
        notice.taskId,
        notice.eventId,
        notice.kind,
        notice.urgency,
        notice.title.slice(0, 300),
        notice.body,
        notice.recipients,
      ],
    );
    return rows.map((row) => row.id);
  }
}

const describe = (taskType: string, priority: Priority | undefined): string => `${taskType} · ${priority ?? 'normal'} priority`;
