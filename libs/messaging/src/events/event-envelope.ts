import type { TaskEvent, TaskEventType } from '@taskinbox/domain';
import type { RecordedEvent } from '@taskinbox/event-store';

/**
 * The public name of each task event, as JetStream consumers, the SSE stream and webhooks see
 * it (Standard Webhooks style `task.<past_tense>`). Typed against the domain's union, so a new
 * event type does not compile until it has a public name here.
 */
export const publicEventTypes = {
  TaskCreated: 'task.created',
  TaskClaimed: 'task.claimed',
  TaskReleased: 'task.released',
  TaskStatusChanged: 'task.status_changed',
  TaskCompleted: 'task.completed',
  TaskCancelled: 'task.cancelled',
  TaskCommented: 'task.commented',
  TaskUpdated: 'task.updated',
  TaskAssigned: 'task.assigned',
  TaskUnassigned: 'task.unassigned',
  TaskAttachmentAdded: 'task.attachment_added',
  TaskInfoPosted: 'task.info_posted',
  TaskActionRequested: 'task.action_requested',
  TaskActionSucceeded: 'task.action_succeeded',
  TaskActionFailed: 'task.action_failed',
  TaskDeleted: 'task.deleted',
  TaskPayloadErased: 'task.payload_erased',
  TaskEndUserAsked: 'task.end_user_asked',
  TaskEndUserAnswered: 'task.end_user_answered',
} as const satisfies Record<TaskEventType, `task.${string}`>;

/**
 * SLO burn-rate alerts (stream `slo-<id>`, libs/slo) travel the same way, so webhooks and event
 * readers get them: the SLO's id stands in `taskId` and the task type it watches in `taskType`,
 * so subscriptions by task type apply to them too.
 */
export const sloEventTypes = {
  SloBurnRateAlerted: 'slo.burn_rate_alerted',
  SloBurnRateRecovered: 'slo.burn_rate_recovered',
} as const;

export type SloEventType = keyof typeof sloEventTypes;
export type EnvelopeEventType = TaskEventType | SloEventType;
export type PublicEventType = (typeof publicEventTypes)[TaskEventType] | (typeof sloEventTypes)[SloEventType];

export function isTaskEventType(type: string): type is TaskEventType {
  return Object.hasOwn(publicEventTypes, type);
}

export function isEnvelopeEventType(type: string): type is EnvelopeEventType {
  return isTaskEventType(type) || Object.hasOwn(sloEventTypes, type);
}

export function publicEventType(eventType: EnvelopeEventType): PublicEventType {
  return isTaskEventType(eventType) ? publicEventTypes[eventType] : sloEventTypes[eventType];
}

/**
 * The message header that carries an event's correlation id on JetStream (as on the commands'
 * requests), beside the W3C `traceparent` of the relay's publish span when tracing is on.
 */
export const correlationIdHeader = 'x-correlation-id';

/** One task event as published on JetStream (message body) and sent over SSE (`data:`). */
export interface TaskEventEnvelope {
  /** The event id; also the JetStream `Nats-Msg-Id`, so consumers deduplicate on it. */
  id: string;
  type: PublicEventType;
  eventType: EnvelopeEventType;
  orgId: string;
  taskId: string;
  taskType: string;
  /** 0-based position of the event in its task's stream (the task's `version` after it). */
  revision: number;
  /** The event's position in the global log: opaque, compare as strings. */
  position: string;
  /** ISO 8601 time the event was recorded. */
  occurredAt: string;
  /** `user:<id>` or `service:<api key id>` */
  actor: string;
  correlationId: string;
  /** The event's data (see TaskEvent in libs/domain, SloAlertEvent in libs/slo); null only when `dataOmitted`. */
  data: TaskEvent['data'] | Record<string, unknown> | null;
  /** Set when the event was too large for one NATS message: read the task over the API instead. */
  dataOmitted?: true;
}

export const taskStreamPrefix = 'task-';
export const sloStreamPrefix = 'slo-';

export function isTaskStream(streamId: string): boolean {
  return streamId.startsWith(taskStreamPrefix);
}

export function isSloStream(streamId: string): boolean {
  return streamId.startsWith(sloStreamPrefix);
}

/** The task type an SLO event watches (its data's taskType). */
export function sloTaskType(event: RecordedEvent): string {
  const { taskType } = (event.data ?? {}) as { taskType?: unknown };
  return typeof taskType === 'string' ? taskType : 'unknown';
}

/**
 * The envelope of a recorded event of a task stream (`taskType` from the task's TaskCreated) or of
 * an SLO stream (`taskType` from the event).
 */
export function toEnvelope(event: RecordedEvent, taskType: string): TaskEventEnvelope {
  const prefix = isTaskStream(event.streamId) ? taskStreamPrefix : isSloStream(event.streamId) ? sloStreamPrefix : undefined;
  if (prefix === undefined) throw new Error(`${event.streamId} is not a task stream (nor an SLO stream).`);
  const known = prefix === taskStreamPrefix ? isTaskEventType(event.type) : Object.hasOwn(sloEventTypes, event.type);
  if (!known) {
    // Never skipped silently: a relay older than the writer must be upgraded, then it resumes here.
    throw new Error(`Unknown ${prefix === taskStreamPrefix ? 'task' : 'SLO'} event type '${event.type}' (event ${event.id} in ${event.streamId}).`);
  }
  const eventType = event.type as EnvelopeEventType;
  return {
    id: event.id,
    type: publicEventType(eventType),
    eventType,
    orgId: event.metadata.orgId,
    taskId: event.streamId.slice(prefix.length),
    taskType,
    revision: Number(event.revision),
    position: event.position,
    occurredAt: event.createdAt.toISOString(),
    actor: event.metadata.actor,
    correlationId: event.metadata.correlationId,
    data: event.data as TaskEventEnvelope['data'],
  };
}

/** The task type a TaskCreated event names, if `event` is one. */
export function createdTaskType(event: RecordedEvent): string | undefined {
  if (event.type !== 'TaskCreated' || typeof event.data !== 'object' || event.data === null) return undefined;
  const { taskType } = event.data as { taskType?: unknown };
  return typeof taskType === 'string' ? taskType : undefined;
}
