import { addDuration, decideTaskType, evolveTaskType, initialTaskTypeState, type TaskTypeCommand } from './task-type.decider';
import type { TaskTypeDefinition } from './task-type.definition';

const definition: TaskTypeDefinition = {
  name: 'Refund',
  schema: { type: 'object' },
  uiSchema: {},
  layout: [{ field: '/amount', label: 'Amount', format: 'money' }],
  publicFields: ['/amount'],
  defaults: { priority: 'high', dueOffset: 'P1DT2H' },
  actions: [
    { key: 'refund', label: 'Refund', roles: ['admin'], target: { method: 'POST', url: 'https://shop.test/r' }, timeoutMs: 5000, retries: 2, argsFrom: { id: '/payload/id' } },
  ],
};
const publish = (overrides: Partial<TaskTypeCommand> = {}): TaskTypeCommand => ({
  type: 'PublishTaskTypeVersion',
  key: 'refund',
  definition,
  schemaProblems: [],
  mustBeNew: false,
  by: { kind: 'user', id: 'u-1' },
  now: '2026-01-01T00:00:00.000Z',
  ...overrides,
});

describe('publishing a task type version', () => {
  it('given no versions, publishes version 1; given version 3, publishes version 4', () => {
    const first = decideTaskType(publish({ mustBeNew: true }), initialTaskTypeState('refund'));
    expect(first).toMatchObject({ ok: true, events: [{ type: 'TaskTypeVersionPublished', data: { key: 'refund', version: 1, name: 'Refund' } }] });
    const state = first.ok ? first.events.reduce(evolveTaskType, initialTaskTypeState('refund')) : initialTaskTypeState('refund');
    expect(state.version).toBe(1);
    expect(decideTaskType(publish(), { key: 'refund', version: 3 })).toMatchObject({ ok: true, events: [{ data: { version: 4 } }] });
  });

  it('refuses a new type whose key exists', () => {
    expect(decideTaskType(publish({ mustBeNew: true }), { key: 'refund', version: 1 })).toMatchObject({ ok: false, rejection: { code: 'task_type_exists' } });
  });

  it('refuses schema problems and a bad layout, default or action, listing each', () => {
    const bad = decideTaskType(
      publish({
        schemaProblems: ['schema/type must be equal to one of the allowed values'],
        definition: {
          ...definition,
          layout: [{ field: 'amount', label: 'A', format: 'html' as never }],
          defaults: { dueOffset: 'two days' },
          actions: [{ ...definition.actions[0], target: { method: 'POST', url: 'ftp://x' }, argsFrom: { id: '/secrets' } }, definition.actions[0]],
        },
      }),
      initialTaskTypeState('refund'),
    );
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.rejection.problems).toEqual([
      'schema/type must be equal to one of the allowed values',
      'layout[0].field must be a JSON Pointer (e.g. /amount)',
      'layout[0].format must be one of text, money, date, link, image, list',
      'defaults.dueOffset must be an ISO 8601 duration (e.g. P2D, PT4H)',
      'actions[0].target.url must be an http(s) URL',
      'actions[0].argsFrom.id must be a JSON Pointer into /payload or /task',
      "actions[1].key 'refund' is used twice",
    ]);
  });
});

it('adds ISO 8601 durations', () => {
  expect(addDuration('2026-01-31T10:00:00.000Z', 'P1DT2H')).toBe('2026-02-01T12:00:00.000Z');
  expect(addDuration('2026-01-01T00:00:00.000Z', 'P1W')).toBe('2026-01-08T00:00:00.000Z');
  expect(addDuration('2026-01-01T00:00:00.000Z', 'PT90M')).toBe('2026-01-01T01:30:00.000Z');
});
