import { deviceCommandsToken, deviceReportsToken, devicesToken } from '@taskinbox/device-protocol';
import { publicEventTypes, sloEventTypes } from '../events/event-envelope';
import { natsNames } from '../events/event-subjects';

type Schema = Record<string, unknown>;

/** One request/reply subject the NATS listener answers, as the app's handlers declare it. */
export interface CommandChannel {
  /** The pattern under the prefix, e.g. `tasks.create`. */
  pattern: string;
  /** The request body's schema (a `$ref` into `schemas`), when the handler names a DTO. */
  payload?: Schema;
}

const ref = (path: string) => ({ $ref: path });
const id = (subject: string): string => subject.replace(/[^A-Za-z0-9]+/g, '-');

const commandHeaders: Schema = {
  type: 'object',
  required: ['Authorization'],
  properties: {
    Authorization: {
      type: 'string',
      description: 'Bearer <API key>: the same credential, roles and scopes as over HTTP.',
    },
    'x-correlation-id': {
      type: 'string',
      description: 'Kept on the events the command records; made up when missing.',
    },
  },
};

const errorBody: Schema = {
  type: 'object',
  required: ['statusCode', 'code', 'message'],
  properties: {
    statusCode: { type: 'integer', description: 'The HTTP status the same refusal has over HTTP.' },
    code: { type: 'string', description: 'Stable error code (the same codes as the HTTP API).' },
    message: { type: 'string' },
    correlationId: { type: 'string' },
  },
};

const envelope: Schema = {
  type: 'object',
  required: [
    'id',
    'type',
    'eventType',
    'orgId',
    'taskId',
    'taskType',
    'revision',
    'position',
    'occurredAt',
    'actor',
    'correlationId',
    'data',
  ],
  properties: {
    id: {
      type: 'string',
      format: 'uuid',
      description: 'The event id; also the Nats-Msg-Id header, so consumers deduplicate on it.',
    },
    type: { type: 'string', enum: [...Object.values(publicEventTypes), ...Object.values(sloEventTypes)] },
    eventType: { type: 'string', enum: [...Object.keys(publicEventTypes), ...Object.keys(sloEventTypes)] },
    orgId: { type: 'string' },
    taskId: { type: 'string', description: "The task's id (for SLO events, the SLO's id)." },
    taskType: { type: 'string' },
    revision: { type: 'integer', minimum: 0, description: "0-based position of the event in its task's stream." },
    position: { type: 'string', description: "The event's position in the global log: opaque, compare as strings." },
    occurredAt: { type: 'string', format: 'date-time' },
    actor: { type: 'string', description: '`user:<id>` or `service:<api key id>`' },
    correlationId: { type: 'string' },
    data: { type: ['object', 'null'], description: "The event's data; null only when dataOmitted." },
    dataOmitted: {
      type: 'boolean',
      const: true,
      description: 'The event was too large for one NATS message: read the task over the API.',
    },
  },
};

/**
 * The AsyncAPI 3 document of one installation's NATS subjects (NATS_SUBJECT_PREFIX): the
 * request/reply commands its listener answers (passed in, as the running app declares them), the
 * task events the relay publishes to JetStream, and the device subjects. Built from the same
 * tables and subject functions the code uses, so it cannot name a subject the code does not.
 */
export function asyncApiDocument(prefix: string, commands: CommandChannel[], schemas: Record<string, Schema>): Schema {
  const names = natsNames(prefix);
  const channels: Record<string, Schema> = {};
  const operations: Record<string, Schema> = {};
  const messages: Record<string, Schema> = {
    commandReply: {
      name: 'CommandReply',
      summary: 'The answer to a command: the task as the caller sees it, or the error.',
      payload: {
        oneOf: [
          { type: 'object', required: ['response'], properties: { response: { type: 'object' } } },
          { type: 'object', required: ['err'], properties: { err: ref('#/components/schemas/ErrorBody') } },
        ],
      },
    },
    taskEvent: {
      name: 'TaskEvent',
      summary: 'One recorded task (or SLO) event.',
      headers: {
        type: 'object',
        properties: {
          'Nats-Msg-Id': { type: 'string', description: "The event's id (JetStream deduplication)." },
          'x-correlation-id': { type: 'string', description: 'The correlation id of the request that caused the event (also in the body).' },
          traceparent: {
            type: 'string',
            description: "W3C trace context of the relay's publish span, when tracing is on (OTEL_EXPORTER_OTLP_ENDPOINT).",
          },
          tracestate: { type: 'string', description: 'W3C trace state, when the trace has one.' },
        },
      },
      payload: ref('#/components/schemas/TaskEventEnvelope'),
    },
    wake: {
      name: 'DeviceWake',
      summary: 'Wakes a device: run ids, never scripts; the device fetches its work over HTTP.',
      payload: {
        oneOf: [
          {
            type: 'object',
            required: ['kind', 'runId'],
            properties: { kind: { enum: ['run', 'cancel'] }, runId: { type: 'string' } },
          },
          { type: 'object', required: ['kind'], properties: { kind: { const: 'sync' } } },
        ],
      },
    },
    heartbeat: {
      name: 'DeviceHeartbeat',
      summary: 'A device is alive (empty body).',
      payload: { type: 'string', maxLength: 0 },
    },
  };

  channels.commandReply = {
    address: null,
    description: "The requester's reply subject (NATS request/reply inbox).",
    messages: { reply: ref('#/components/messages/commandReply') },
  };
  for (const command of [...commands].sort((a, b) => a.pattern.localeCompare(b.pattern))) {
    const key = id(command.pattern);
    messages[`${key}-request`] = {
      name: `${command.pattern} request`,
      headers: commandHeaders,
      payload: command.payload ?? { type: 'object' },
    };
    channels[key] = {
      address: `${prefix}.${command.pattern}`,
      messages: { request: ref(`#/components/messages/${key}-request`) },
    };
    operations[key] = {
      action: 'receive',
      summary: `taskinbox answers ${command.pattern} (queue group of the ingest replicas).`,
      channel: ref(`#/channels/${key}`),
      messages: [ref(`#/channels/${key}/messages/request`)],
      reply: { channel: ref('#/channels/commandReply'), messages: [ref('#/channels/commandReply/messages/reply')] },
    };
  }

  channels.taskEvents = {
    address: `${names.events}.{orgId}.{eventType}.{taskType}`,
    title: 'Task events',
    description:
      `Every recorded event, kept in the JetStream stream ${names.stream}. The task type is the tail and keeps its dots: ` +
      `\`${names.events}.<org>.*.refund.approval\` selects one type, \`${names.events}.<org>.>\` one organisation. ` +
      "Event readers (POST /api/event-readers) get creds that may read their organisation's subjects only, live or " +
      'through a durable pull consumer of their own on this stream, filtered to their organisation.',
    parameters: {
      orgId: { description: "The organisation's id." },
      eventType: { enum: [...Object.keys(publicEventTypes), ...Object.keys(sloEventTypes)] },
      taskType: { description: 'The task type, dots kept (other characters outside [A-Za-z0-9_-] become _).' },
    },
    messages: { event: ref('#/components/messages/taskEvent') },
  };
  operations.publishTaskEvent = {
    action: 'send',
    summary: 'The relay publishes every recorded event, in order, once (Nats-Msg-Id).',
    channel: ref('#/channels/taskEvents'),
    messages: [ref('#/channels/taskEvents/messages/event')],
  };

  const devices = `${prefix}.${devicesToken}`;
  channels.deviceCommands = {
    address: `${devices}.${deviceCommandsToken}.{deviceId}`,
    description: 'One device subscribes here (DEVICES account; its own id only).',
    parameters: { deviceId: { description: "The device's id." } },
    messages: { wake: ref('#/components/messages/wake') },
  };
  operations.wakeDevice = {
    action: 'send',
    channel: ref('#/channels/deviceCommands'),
    messages: [ref('#/channels/deviceCommands/messages/wake')],
  };
  channels.deviceReports = {
    address: `${devices}.${deviceReportsToken}.{deviceId}.{kind}`,
    description: 'What a device says; it may publish under its own id only.',
    parameters: { deviceId: { description: "The device's id." }, kind: { enum: ['heartbeat'] } },
    messages: { heartbeat: ref('#/components/messages/heartbeat') },
  };
  operations.hearDevices = {
    action: 'receive',
    summary: 'taskinbox hears every device (queue group of its replicas).',
    channel: ref('#/channels/deviceReports'),
    messages: [ref('#/channels/deviceReports/messages/heartbeat')],
  };

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'taskinbox NATS',
      version: '0.1.0',
      description: `The NATS subjects of the installation with prefix \`${prefix}\` (NATS_SUBJECT_PREFIX). See README "Running NATS" for the accounts and credentials.`,
    },
    defaultContentType: 'application/json',
    channels,
    operations,
    components: { schemas: { ...schemas, ErrorBody: errorBody, TaskEventEnvelope: envelope }, messages },
  };
}
