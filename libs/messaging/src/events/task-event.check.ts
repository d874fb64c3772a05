import { isEnvelopeEventType, publicEventType, type TaskEventEnvelope } from './event-envelope';
import { type NatsNames, taskEventSubject } from './event-subjects';

/** Why a message on an event subject was not taken for a task event. */
export type TaskEventRejection = 'unreadable' | 'schema' | 'subject';

export type CheckedTaskEvent =
  | { envelope: TaskEventEnvelope; rejection?: undefined }
  | { envelope?: undefined; rejection: TaskEventRejection; problem: string };

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// One line of printable text: these fields go into SSE frames and log lines.
const line = (max: number) => new RegExp(`^[^\\u0000-\\u001f\\u007f]{1,${max}}$`);
const taskType = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const position = /^[0-9A-Za-z:/_-]{1,100}$/;
const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

type Fields = Record<string, unknown>;

/** The envelope's schema, field by field; the first problem found, or the envelope with only its own fields. */
function readEnvelope(value: unknown): TaskEventEnvelope | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const body = value as Fields;
  const check = (name: string, ok: (field: unknown) => boolean): string | undefined =>
    ok(body[name]) ? undefined : `${name} is missing or malformed`;
  const text = (pattern: RegExp) => (field: unknown) => typeof field === 'string' && pattern.test(field);
  const problem =
    check('id', text(uuid)) ??
    check('eventType', (field) => typeof field === 'string' && isEnvelopeEventType(field)) ??
    check('type', (field) => field === publicEventType(body.eventType as TaskEventEnvelope['eventType'])) ??
    check('orgId', text(uuid)) ??
    check('taskId', text(uuid)) ??
    check('taskType', text(taskType)) ??
    check('revision', (field) => Number.isSafeInteger(field) && (field as number) >= 0) ??
    check('position', text(position)) ??
    check('occurredAt', (field) => text(isoTime)(field) && !Number.isNaN(Date.parse(field as string))) ??
    check('actor', text(line(300))) ??
    check('correlationId', text(line(200))) ??
    check('data', (field) => field === null || (typeof field === 'object' && !Array.isArray(field))) ??
    check('dataOmitted', (field) => field === undefined || field === true);
  if (problem) return problem;
  const envelope: TaskEventEnvelope = {
    id: body.id as string,
    type: body.type as TaskEventEnvelope['type'],
    eventType: body.eventType as TaskEventEnvelope['eventType'],
    orgId: body.orgId as string,
    taskId: body.taskId as string,
    taskType: body.taskType as string,
    revision: body.revision as number,
    position: body.position as string,
    occurredAt: body.occurredAt as string,
    actor: body.actor as string,
    correlationId: body.correlationId as string,
    data: body.data as TaskEventEnvelope['data'],
  };
  if (body.dataOmitted === true) envelope.dataOmitted = true;
  return envelope;
}

/**
 * Reads a task event off NATS trusting nothing in its body: it must be JSON of the envelope's
 * schema (fields it does not know are dropped), and it must have arrived on the very subject the
 * relay publishes it under, so its organisation, event type and task type are those the subject
 * (and so the publisher's permissions and every subscriber's filter) names.
 */
export function checkTaskEvent(subject: string, body: Uint8Array, names: NatsNames): CheckedTaskEvent {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return { rejection: 'unreadable', problem: 'the body is not UTF-8 JSON' };
  }
  const envelope = readEnvelope(value);
  if (typeof envelope === 'string') return { rejection: 'schema', problem: envelope };
  const expected = taskEventSubject(names.events, envelope);
  if (subject !== expected) {
    return {
      rejection: 'subject',
      problem: `arrived on ${subject}, but its organisation, event type and task type belong on ${expected}`,
    };
  }
  return { envelope };
}
