import { allowedActions, type ExistingTask, type TaskAction } from '@taskinbox/domain';
import type { Actor, TaskStatus, TaskSummary } from '../api/api.types';
import type { Session } from '../session/session.context';

/**
 * What moving a task to a status does, as the server's PUT /api/inbox/tasks/{id} decides it
 * (libs/ingest task-change.command.ts), so the board offers only the moves the domain allows.
 */
export function moveAction(task: TaskSummary, to: TaskStatus): TaskAction | null {
  if (task.status === to) return null;
  switch (to) {
    case 'completed':
      return 'complete';
    case 'cancelled':
      return 'cancel';
    case 'waiting':
      return 'hold';
    case 'processing':
      // Resuming a task nobody holds puts it back in the queue (Open), not in progress.
      if (task.status === 'waiting') return task.processedBy ? 'resume' : null;
      return 'claim';
    case 'pending':
      return task.status === 'waiting' && !task.processedBy ? 'resume' : 'release';
  }
}

/** The domain's own verdict on a list row: the summary carries every field the guard reads. */
export function actionsOn(task: TaskSummary, session: Session): TaskAction[] {
  const actor: Actor = { kind: 'user', id: session.userId, role: session.role };
  const state: ExistingTask = {
    exists: true,
    id: task.id,
    orgId: session.organisation.id,
    taskType: task.type,
    title: task.title,
    status: task.status,
    processedBy: task.processedBy ?? undefined,
    source: task.source,
    payload: {},
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
    version: task.version,
  };
  return allowedActions(state, actor);
}

export function canMove(task: TaskSummary, to: TaskStatus, session: Session): boolean {
  const action = moveAction(task, to);
  return action !== null && actionsOn(task, session).includes(action);
}
