import { randomUUID } from 'node:crypto';
import type { Actor, AssigneeRef, ExistingTask, TaskCommand, TaskDetails } from '@taskinbox/domain';
import type { ChangeStatusDto, CommentDto, CompleteTaskDto, PostInfoDto, ReasonDto } from './task.dto';

/**
 * The resolution of a task completed without one: the seed's contract is `PUT
 * /api/inbox/tasks/{id}` with exactly `{"status": "completed"}`. The same for
 * POST …/complete and the NATS subjects, which all build their command here.
 */
export const defaultResolution = 'done';

/** Builds the command for a task as it is now; the decider then judges it. */
export type TaskChange = (task: ExistingTask, by: Actor, now: string) => TaskCommand;

/** Every change the HTTP and NATS edges offer, built the same way for both. */
export const taskChanges = {
  claim: (): TaskChange => (_, by, now) => ({ type: 'ClaimTask', by, now }),
  release: (): TaskChange => (_, by, now) => ({ type: 'ReleaseTask', by, now }),
  resume: (): TaskChange => (_, by, now) => ({ type: 'ResumeTask', by, now }),
  hold: (body: ReasonDto): TaskChange => (_, by, now) => ({ type: 'PutTaskOnHold', reason: body.reason, by, now }),
  cancel: (body: ReasonDto): TaskChange => (_, by, now) => ({ type: 'CancelTask', reason: body.reason, by, now }),
  complete: (body: CompleteTaskDto): TaskChange => (_, by, now) => ({
    type: 'CompleteTask',
    resolution: body.resolution ?? defaultResolution,
    note: body.note,
    by,
    now,
  }),
  comment: (body: CommentDto): TaskChange => (_, by, now) => ({
    type: 'CommentOnTask',
    commentId: randomUUID(),
    body: body.body,
    by,
    now,
  }),
  update: (changes: Partial<TaskDetails>): TaskChange => (_, by, now) => ({ type: 'UpdateTaskDetails', changes, by, now }),
  assign: (assignee: AssigneeRef): TaskChange => (_, by, now) => ({ type: 'AssignTask', assignee, by, now }),
  unassign: (assignee: AssigneeRef): TaskChange => (_, by, now) => ({ type: 'UnassignTask', assignee, by, now }),
  postInfo: (body: PostInfoDto): TaskChange => (_, by, now) => ({ type: 'PostTaskInfo', info: body.info, note: body.note, by, now }),
  /**
   * The seed's `PUT /api/inbox/tasks/{id} {"status": …}` names a target status; this picks
   * the command that reaches it from where the task is now.
   */
  changeStatus: (change: ChangeStatusDto): TaskChange => (task, by, now) => {
    switch (change.status) {
      case 'completed':
        return { type: 'CompleteTask', resolution: change.resolution ?? defaultResolution, note: change.note, by, now };
      case 'cancelled':
        return { type: 'CancelTask', reason: change.note, by, now };
      case 'waiting':
        return { type: 'PutTaskOnHold', reason: change.note, by, now };
      case 'processing':
        return task.status === 'waiting' ? { type: 'ResumeTask', by, now } : { type: 'ClaimTask', by, now };
      case 'pending':
        return task.status === 'waiting' && !task.processedBy
          ? { type: 'ResumeTask', by, now }
          : { type: 'ReleaseTask', by, now };
    }
  },
};
