import type { TaskEventEnvelope } from './event-envelope';

/** JetStream stream that keeps every task event (production name; tests use their own). */
export const taskEventsStreamName = 'TASK_EVENTS';

/** Task events are published under `<prefix>.<orgId>.<EventType>.<taskType…>`. */
export const taskEventsSubjectPrefix = 'taskinbox.events';

// A subject token may not be empty nor hold whitespace, '.', '*' or '>'; ids and event types
// never do, task types (validated at ingest) only by consecutive or trailing dots.
const token = (value: string): string => value.replace(/[^A-Za-z0-9_-]/g, '_') || '_';

/**
 * The subject of one task event. The task type is the tail and keeps its dots, so
 * `<prefix>.<org>.*.refund.approval` selects one type and `<prefix>.<org>.TaskClaimed.>` one event type.
 */
export function taskEventSubject(
  prefix: string,
  envelope: Pick<TaskEventEnvelope, 'orgId' | 'eventType' | 'taskType'>,
): string {
  const tail = envelope.taskType.split('.').map(token).join('.');
  return `${prefix}.${token(envelope.orgId)}.${token(envelope.eventType)}.${tail}`;
}

/** Every task event of one organisation. */
export function orgEventsSubject(prefix: string, orgId: string): string {
  return `${prefix}.${token(orgId)}.>`;
}
