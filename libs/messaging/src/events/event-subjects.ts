import { natsPrefixPattern } from '@taskinbox/config';
import type { TaskEventEnvelope } from './event-envelope';

/** The second token of command subjects: `<prefix>.tasks.<verb>` (the NATS accounts export `*.tasks.>`). */
export const commandsToken = 'tasks';
/** The second token of event subjects: `<prefix>.events.<orgId>.…`. */
export const eventsToken = 'events';

/** Every name one installation uses on NATS, derived from its prefix (NATS_SUBJECT_PREFIX). */
export interface NatsNames {
  prefix: string;
  /** Request/reply commands are `<commands>.<verb>`, e.g. `taskinbox.tasks.create`. */
  commands: string;
  /** Task events are `<events>.<orgId>.<EventType>.<taskType…>`. */
  events: string;
  /** The JetStream stream that keeps the events: `<PREFIX>_EVENTS`. */
  stream: string;
}

export function natsNames(prefix: string): NatsNames {
  if (!natsPrefixPattern.test(prefix)) throw new Error(`'${prefix}' is not a NATS subject prefix (${natsPrefixPattern}).`);
  return {
    prefix,
    commands: `${prefix}.${commandsToken}`,
    events: `${prefix}.${eventsToken}`,
    stream: `${prefix.toUpperCase()}_EVENTS`,
  };
}

// A subject token may not be empty nor hold whitespace, '.', '*' or '>'; ids and event types
// never do, task types (validated at ingest) only by consecutive or trailing dots.
const token = (value: string): string => value.replace(/[^A-Za-z0-9_-]/g, '_') || '_';

/**
 * The subject of one task event under `events` (NatsNames.events). The task type is the tail and
 * keeps its dots, so `<events>.<org>.*.refund.approval` selects one type and
 * `<events>.<org>.TaskClaimed.>` one event type.
 */
export function taskEventSubject(
  events: string,
  envelope: Pick<TaskEventEnvelope, 'orgId' | 'eventType' | 'taskType'>,
): string {
  const tail = envelope.taskType.split('.').map(token).join('.');
  return `${events}.${token(envelope.orgId)}.${token(envelope.eventType)}.${tail}`;
}

/** Every task event of one organisation. */
export function orgEventsSubject(events: string, orgId: string): string {
  return `${events}.${token(orgId)}.>`;
}
