import type { Actor, ExistingTask, TaskCommand } from '@taskinbox/domain';
import type { ChangeStatusDto } from './task.dto';

/**
 * The seed's `PUT /api/inbox/tasks/{id} {"status": …}` names a target status; this picks
 * the command that reaches it from where the task is now. The decider still judges it.
 */
export function statusChange(task: ExistingTask, change: ChangeStatusDto, by: Actor, now: string): TaskCommand {
  switch (change.status) {
    case 'completed':
      return { type: 'CompleteTask', resolution: change.resolution ?? '', note: change.note, by, now };
    case 'cancelled':
      return { type: 'CancelTask', reason: change.note, by, now };
    case 'waiting':
      return { type: 'PutTaskOnHold', reason: change.note, by, now };
    case 'processing':
      return task.status === 'waiting' ? { type: 'ResumeTask', by, now } : { type: 'ClaimTask', by, now };
    case 'pending':
      return task.status === 'waiting' && !task.processedBy ? { type: 'ResumeTask', by, now } : { type: 'ReleaseTask', by, now };
  }
}
