// The OpenAPI schema of a TaskView (task.view.ts), for every route that answers with the task.

const actor = {
  type: 'object' as const,
  required: ['kind', 'id'],
  properties: {
    kind: { type: 'string', enum: ['user', 'service', 'system', 'end_user'] },
    id: { type: 'string' },
    role: { type: 'string', enum: ['admin', 'member', 'viewer'] },
    name: { type: 'string' },
  },
};

/** A TaskView (task.view.ts): the task as its event stream says, for the caller. */
export const taskViewSchema = {
  type: 'object' as const,
  required: [
    'id',
    'orgId',
    'taskType',
    'status',
    'title',
    'source',
    'payload',
    'createdAt',
    'updatedAt',
    'version',
    'typeVersion',
    'assignees',
    'allowedActions',
  ],
  properties: {
    id: { type: 'string', format: 'uuid' },
    orgId: { type: 'string', format: 'uuid' },
    taskType: { type: 'string', example: 'refund.request' },
    status: { type: 'string', enum: ['pending', 'processing', 'waiting', 'completed', 'cancelled'] },
    title: { type: 'string' },
    description: { type: 'string' },
    dueAt: { type: 'string', format: 'date-time' },
    priority: { type: 'string', enum: ['low', 'normal', 'high', 'urgent'] },
    tags: { type: 'array', items: { type: 'string' } },
    customerRef: { type: 'string' },
    projectRef: { type: 'string' },
    milestoneRef: { type: 'string' },
    private: { type: 'boolean' },
    source: actor,
    payload: { type: 'object' as const, additionalProperties: true },
    externalRef: { type: 'string' },
    processedBy: { type: 'string', description: 'The user who claimed it.' },
    processedAt: { type: 'string', format: 'date-time' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    completedAt: { type: 'string', format: 'date-time' },
    cancelledAt: { type: 'string', format: 'date-time' },
    resolution: { type: 'string' },
    awaiting: {
      type: 'object' as const,
      description: 'What the end user was asked, while the task waits on them.',
      additionalProperties: true,
    },
    legacyAssignees: { type: 'array', items: { type: 'string' } },
    payloadErased: { type: 'boolean' },
    version: { type: 'integer', description: 'Stream revision; pass it to reads that must reflect this change.' },
    typeVersion: {
      type: 'integer',
      nullable: true,
      description: "The version of the task's type its payload was checked against.",
    },
    assignees: {
      type: 'array',
      items: {
        type: 'object' as const,
        required: ['kind', 'id'],
        properties: {
          kind: { type: 'string', enum: ['user', 'group'] },
          id: { type: 'string', format: 'uuid' },
          name: { type: 'string' },
        },
      },
    },
    allowedActions: {
      type: 'array',
      items: { type: 'string' },
      description: 'What the caller may do next; the server accepts exactly these.',
    },
  },
};
