import type { Pool } from 'pg';
import { assigneeKeys, evolve, initialState, isInAssignedScope, type TaskEvent } from '@taskinbox/domain';
import type { TaskEventEnvelope } from '@taskinbox/messaging';

/**
 * Which live events a person limited to assigned tasks hears: those of tasks assigned to them or
 * their groups now (inbox_tasks), or that the event itself assigns to them (a new task, an
 * assignment the read models may not show yet). A task the read models do not show at all is
 * withheld: a missed live update is put right by the next read, a leaked one cannot be.
 */
export class AssignedScopeFilter {
  constructor(private readonly pool: Pool) {}

  async allows(envelope: TaskEventEnvelope, assignedTo: readonly string[]): Promise<boolean> {
    if (isInAssignedScope(keysInEvent(envelope), assignedTo)) return true;
    const { rows } = await this.pool.query<{ assignees: string[] }>('SELECT assignees FROM inbox_tasks WHERE task_id = $1 AND org_id = $2', [
      envelope.taskId,
      envelope.orgId,
    ]);
    return rows.length > 0 && isInAssignedScope(rows[0].assignees, assignedTo);
  }
}

function keysInEvent(envelope: TaskEventEnvelope): string[] {
  if (envelope.data === null) return [];
  const event = { type: envelope.eventType, data: envelope.data } as TaskEvent;
  if (event.type === 'TaskAssigned') return [`${event.data.assignee.kind}:${event.data.assignee.id}`];
  if (event.type !== 'TaskCreated') return [];
  const task = evolve(initialState(), event);
  return task.exists ? assigneeKeys(task) : [];
}
