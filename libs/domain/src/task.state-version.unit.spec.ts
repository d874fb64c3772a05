import { TASK_STATE_VERSION, evolve, initialState } from './task.decider';
import type { Actor, TaskEvent, TaskEventType } from './task.events';

// Snapshots of tasks (libs/ingest) are only reused while TASK_STATE_VERSION is the same. This
// pins what evolve folds from one event of every type: when it fails, evolve changed, so
// update the expectation and bump TASK_STATE_VERSION together.

const by: Actor = { kind: 'user', id: 'u-1', role: 'member' };
const sender: Actor = { kind: 'service', id: 'svc-1', name: 'billing' };
const at = (minute: number): string => `2025-10-21T10:${String(minute).padStart(2, '0')}:00.000Z`;

// A Record, so that a new event type does not compile until it has a sample here.
const samples: Record<TaskEventType, TaskEvent> = {
  TaskCreated: {
    type: 'TaskCreated',
    data: {
      taskId: 't-1',
      orgId: 'o-1',
      taskType: 'refund',
      payload: { a: 1 },
      source: sender,
      title: 'T',
      createdAt: at(0),
    },
  },
  TaskUpdated: { type: 'TaskUpdated', data: { taskId: 't-1', by, changes: { priority: 'high' }, updatedAt: at(1) } },
  TaskCommented: {
    type: 'TaskCommented',
    data: { taskId: 't-1', by, commentId: 'c-1', body: 'hi', commentedAt: at(2) },
  },
  TaskAttachmentAdded: {
    type: 'TaskAttachmentAdded',
    data: { taskId: 't-1', by, attachment: { id: 'a-1', name: 'r.pdf', url: 'https://x.test/r.pdf' }, addedAt: at(3) },
  },
  TaskInfoPosted: { type: 'TaskInfoPosted', data: { taskId: 't-1', by: sender, info: { k: 1 }, postedAt: at(4) } },
  TaskClaimed: { type: 'TaskClaimed', data: { taskId: 't-1', by, claimedAt: at(5) } },
  TaskStatusChanged: {
    type: 'TaskStatusChanged',
    data: { taskId: 't-1', by, from: 'processing', to: 'waiting', changedAt: at(6) },
  },
  TaskReleased: {
    type: 'TaskReleased',
    data: { taskId: 't-1', by, previousClaimer: 'u-1', forced: false, releasedAt: at(7) },
  },
  TaskCompleted: { type: 'TaskCompleted', data: { taskId: 't-1', by, resolution: 'accepted', completedAt: at(8) } },
  TaskAssigned: {
    type: 'TaskAssigned',
    data: { taskId: 't-1', by, assignee: { kind: 'group', id: 'g-1' }, assignedAt: at(10) },
  },
  TaskUnassigned: {
    type: 'TaskUnassigned',
    data: { taskId: 't-1', by, assignee: { kind: 'user', id: 'u-9' }, unassignedAt: at(11) },
  },
  TaskCancelled: { type: 'TaskCancelled', data: { taskId: 't-1', by, cancelledAt: at(9) } },
  TaskActionRequested: {
    type: 'TaskActionRequested',
    data: { taskId: 't-1', by, actionId: 'a-1', key: 'refund', label: 'Refund', args: { n: 1 }, typeVersion: 1, requestedAt: at(12) },
  },
  TaskActionSucceeded: {
    type: 'TaskActionSucceeded',
    data: { taskId: 't-1', by, actionId: 'a-1', key: 'refund', statusCode: 200, response: 'ok', attempts: 1, succeededAt: at(13) },
  },
  TaskActionFailed: {
    type: 'TaskActionFailed',
    data: { taskId: 't-1', by, actionId: 'a-2', key: 'refund', error: 'timeout', response: '', attempts: 3, failedAt: at(14) },
  },
};

it('folds every event type as TASK_STATE_VERSION says (bump it when this changes)', () => {
  const states = Object.values(samples).map((_, index, events) =>
    events.slice(0, index + 1).reduce(evolve, initialState()),
  );
  expect({ version: TASK_STATE_VERSION, states: JSON.parse(JSON.stringify(states)) }).toEqual({
    version: 3,
    states: [
      {
        orgId: 'o-1',
        taskType: 'refund',
        payload: {
          a: 1,
        },
        source: {
          kind: 'service',
          id: 'svc-1',
          name: 'billing',
        },
        title: 'T',
        assignees: [],
        exists: true,
        id: 't-1',
        status: 'pending',
        createdAt: '2025-10-21T10:00:00.000Z',
        updatedAt: '2025-10-21T10:00:00.000Z',
        version: 1,
      },
      {
        orgId: 'o-1',
        taskType: 'refund',
        payload: {
          a: 1,
        },
        source: {
          kind: 'service',
          id: 'svc-1',
          name: 'billing',
        },
        title: 'T',
        assignees: [],
        exists: true,
        id: 't-1',
        status: 'pending',
        createdAt: '2025-10-21T10:00:00.000Z',
        updatedAt: '2025-10-21T10:01:00.000Z',
        version: 2,
        priority: 'high',
      },
      {
        orgId: 'o-1',
        taskType: 'refund',
        payload: {
          a: 1,
        },
        source: {
          kind: 'service',
          id: 'svc-1',
          name: 'billing',
        },
        title: 'T',
        assignees: [],
        exists: true,
        id: 't-1',
        status: 'pending',
        createdAt: '2025-10-21T10:00:00.000Z',
        updatedAt: '2025-10-21T10:02:00.000Z',
        version: 3,
        priority: 'high',
      },
      {
        orgId: 'o-1',
        taskType: 'refund',
        payload: {
          a: 1,
        },
        source: {
          kind: 'service',
          id: 'svc-1',
          name: 'billing',
        },
        title: 'T',
        assignees: [],
        exists: true,
        id: 't-1',
        status: 'pending',
        createdAt: '2025-10-21T10:00:00.000Z',
        updatedAt: '2025-10-21T10:03:00.000Z',
        version: 4,
        priority: 'high',
      },
      {
        orgId: 'o-1',
        taskType: 'refund',
        payload: {
          a: 1,
        },
        source: {
          kind: 'service',
          id: 'svc-1',
          name: 'billing',
        },
        title: 'T',
        assignees: [],
        exists: true,
        id: 't-1',
        status: 'pending',
        createdAt: '2025-10-21T10:00:00.000Z',
        updatedAt: '2025-10-21T10:04:00.000Z',
        version: 5,
        priority: 'high',
      },
      {
        orgId: 'o-1',
        taskType: 'refund',
        payload: {
          a: 1,
        },
        source: {
          kind: 'service',
          id: 'svc-1',
          name: 'billing',
        },
        title: 'T',
        assignees: [],
        exists: true,
        id: 't-1',
        status: 'processing',
        createdAt: '2025-10-21T10:00:00.000Z',
        updatedAt: '2025-10-21T10:05:00.000Z',
        version: 6,
        priority: 'high',
        processedBy: 'u-1',
        processedAt: '2025-10-21T10:05:00.000Z',
      },
      {
        orgId: 'o-1',
        taskType: 'refund',
        payload: {
          a: 1,
        },
        source: {
          kind: 'service',
          id: 'svc-1',
          name: 'billing',
        },
        title: 'T',
        assignees: [],
        exists: true,
        id: 't-1',
        status: 'waiting',
        createdAt: '2025-10-21T10:00:00.000Z',
        updatedAt: '2025-10-21T10:06:00.000Z',
        version: 7,
        priority: 'high',
        processedBy: 'u-1',
        processedAt: '2025-10-21T10:05:00.000Z',
      },
      {
        orgId: 'o-1',
        taskType: 'refund',
        payload: {
          a: 1,
        },
        source: {
          kind: 'service',
          id: 'svc-1',
          name: 'billing',
        },
        title: 'T',
        assignees: [],
        exists: true,
        id: 't-1',
        status: 'pending',
        createdAt: '2025-10-21T10:00:00.000Z',
        updatedAt: '2025-10-21T10:07:00.000Z',
        version: 8,
        priority: 'high',
      },
      {
        orgId: 'o-1',
        taskType: 'refund',
        payload: {
          a: 1,
        },
        source: {
          kind: 'service',
          id: 'svc-1',
          name: 'billing',
        },
        title: 'T',
        assignees: [],
        exists: true,
        id: 't-1',
        status: 'completed',
        createdAt: '2025-10-21T10:00:00.000Z',
        updatedAt: '2025-10-21T10:08:00.000Z',
        version: 9,
        priority: 'high',
        resolution: 'accepted',
        completedAt: '2025-10-21T10:08:00.000Z',
      },
      {
        orgId: 'o-1',
        taskType: 'refund',
        payload: {
          a: 1,
        },
        source: {
          kind: 'service',
          id: 'svc-1',
          name: 'billing',
        },
        title: 'T',
        assignees: [
          {
            kind: 'group',
            id: 'g-1',
          },
        ],
        exists: true,
        id: 't-1',
        status: 'completed',
        createdAt: '2025-10-21T10:00:00.000Z',
        updatedAt: '2025-10-21T10:10:00.000Z',
        version: 10,
        priority: 'high',
        resolution: 'accepted',
        completedAt: '2025-10-21T10:08:00.000Z',
      },
      {
        orgId: 'o-1',
        taskType: 'refund',
        payload: {
          a: 1,
        },
        source: {
          kind: 'service',
          id: 'svc-1',
          name: 'billing',
        },
        title: 'T',
        assignees: [
          {
            kind: 'group',
            id: 'g-1',
          },
        ],
        exists: true,
        id: 't-1',
        status: 'completed',
        createdAt: '2025-10-21T10:00:00.000Z',
        updatedAt: '2025-10-21T10:11:00.000Z',
        version: 11,
        priority: 'high',
        resolution: 'accepted',
        completedAt: '2025-10-21T10:08:00.000Z',
      },
      {
        orgId: 'o-1',
        taskType: 'refund',
        payload: {
          a: 1,
        },
        source: {
          kind: 'service',
          id: 'svc-1',
          name: 'billing',
        },
        title: 'T',
        assignees: [
          {
            kind: 'group',
            id: 'g-1',
          },
        ],
        exists: true,
        id: 't-1',
        status: 'cancelled',
        createdAt: '2025-10-21T10:00:00.000Z',
        updatedAt: '2025-10-21T10:09:00.000Z',
        version: 12,
        priority: 'high',
        resolution: 'accepted',
        completedAt: '2025-10-21T10:08:00.000Z',
        cancelledAt: '2025-10-21T10:09:00.000Z',
      },
      {
        orgId: 'o-1',
        taskType: 'refund',
        payload: {
          a: 1,
        },
        source: {
          kind: 'service',
          id: 'svc-1',
          name: 'billing',
        },
        title: 'T',
        assignees: [
          {
            kind: 'group',
            id: 'g-1',
          },
        ],
        exists: true,
        id: 't-1',
        status: 'cancelled',
        createdAt: '2025-10-21T10:00:00.000Z',
        updatedAt: '2025-10-21T10:09:00.000Z',
        version: 13,
        priority: 'high',
        resolution: 'accepted',
        completedAt: '2025-10-21T10:08:00.000Z',
        cancelledAt: '2025-10-21T10:09:00.000Z',
        actions: { 'a-1': { key: 'refund', by: { kind: 'user', id: 'u-1', role: 'member' }, done: false } },
      },
      {
        orgId: 'o-1',
        taskType: 'refund',
        payload: {
          a: 1,
        },
        source: {
          kind: 'service',
          id: 'svc-1',
          name: 'billing',
        },
        title: 'T',
        assignees: [
          {
            kind: 'group',
            id: 'g-1',
          },
        ],
        exists: true,
        id: 't-1',
        status: 'cancelled',
        createdAt: '2025-10-21T10:00:00.000Z',
        updatedAt: '2025-10-21T10:09:00.000Z',
        version: 14,
        priority: 'high',
        resolution: 'accepted',
        completedAt: '2025-10-21T10:08:00.000Z',
        cancelledAt: '2025-10-21T10:09:00.000Z',
        actions: { 'a-1': { key: 'refund', by: { kind: 'user', id: 'u-1', role: 'member' }, done: true } },
      },
      {
        orgId: 'o-1',
        taskType: 'refund',
        payload: {
          a: 1,
        },
        source: {
          kind: 'service',
          id: 'svc-1',
          name: 'billing',
        },
        title: 'T',
        assignees: [
          {
            kind: 'group',
            id: 'g-1',
          },
        ],
        exists: true,
        id: 't-1',
        status: 'cancelled',
        createdAt: '2025-10-21T10:00:00.000Z',
        updatedAt: '2025-10-21T10:09:00.000Z',
        version: 15,
        priority: 'high',
        resolution: 'accepted',
        completedAt: '2025-10-21T10:08:00.000Z',
        cancelledAt: '2025-10-21T10:09:00.000Z',
        actions: { 'a-1': { key: 'refund', by: { kind: 'user', id: 'u-1', role: 'member' }, done: true } },
      },
    ],
  });
});
