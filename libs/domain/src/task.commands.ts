import type { Actor, AssigneeRef, Attachment, EndUserRequest, Priority, TaskActionRequest, TaskActionResult, TaskDetails } from './task.events';

/** What callers ask of a task. `now` is passed in so the decider stays pure. */
export type TaskCommand =
  | {
      type: 'CreateTask';
      data: TaskDetails & {
        taskId: string;
        orgId: string;
        taskType: string;
        typeVersion?: number;
        payload: Record<string, unknown>;
        externalRef?: string;
        idempotencyKey?: string;
      };
      by: Actor;
      now: string;
    }
  | { type: 'ClaimTask'; by: Actor; now: string }
  | { type: 'ReleaseTask'; by: Actor; now: string }
  | { type: 'CompleteTask'; resolution: string; note?: string; by: Actor; now: string }
  | { type: 'PutTaskOnHold'; reason?: string; by: Actor; now: string }
  | { type: 'ResumeTask'; by: Actor; now: string }
  | { type: 'CancelTask'; reason?: string; by: Actor; now: string }
  | { type: 'CommentOnTask'; commentId: string; body: string; by: Actor; now: string }
  | { type: 'UpdateTaskDetails'; changes: Partial<TaskDetails>; by: Actor; now: string }
  | { type: 'AssignTask'; assignee: AssigneeRef; by: Actor; now: string }
  | { type: 'UnassignTask'; assignee: AssigneeRef; by: Actor; now: string }
  | { type: 'AddTaskAttachment'; attachment: Attachment; by: Actor; now: string }
  | { type: 'PostTaskInfo'; info: Record<string, unknown>; note?: string; by: Actor; now: string }
  /** `roles` are the action's own (from the task's type version): who may run it. */
  | { type: 'RequestTaskAction'; request: TaskActionRequest; roles: readonly string[]; by: Actor; now: string }
  /** The worker's report; `info` (the action's postBack) is posted on the task with a success. */
  | { type: 'DeleteTask'; reason?: string; by: Actor; now: string }
  | { type: 'EraseTaskPayload'; by: Actor; now: string }
  | {
      type: 'RecordTaskActionResult';
      outcome: 'succeeded' | 'failed';
      result: TaskActionResult;
      info?: Record<string, unknown>;
      by: Actor;
      now: string;
    }
  | { type: 'AskEndUser'; request: EndUserRequest; by: Actor; now: string }
  | { type: 'AnswerEndUser'; requestId: string; answer: Record<string, unknown>; by: Actor; now: string };

export type TaskCommandType = TaskCommand['type'];
export type { AssigneeRef, Priority };
