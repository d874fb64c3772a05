import { NatsContext, ServerNats } from '@nestjs/microservices';
import type { Msg, NatsConnection } from '@nats-io/transport-node';
import { SpanKind } from '@opentelemetry/api';
import { contextOfNatsHeaders, correlationIdAttribute, inSpan, messagingAttributes, tracingEnabled } from '@taskinbox/telemetry';
import { correlationIdOf } from './correlation';
import { toErrorResponse } from './error-response';
import { InvalidInput, UnreadableBody } from './input/input.check';

type NatsServerOptions = ConstructorParameters<typeof ServerNats>[0];

/**
 * Nest's NATS server, with two changes:
 * - every message pattern is under the installation's prefix (NATS_SUBJECT_PREFIX):
 *   `@MessagePattern('tasks.create')` listens on `<prefix>.tasks.create`, so two installations
 *   sharing a NATS never answer each other's requests; handlers still see the bare pattern;
 * - a request the input check refused (PlainJsonRequestDeserializer throws before Nest's
 *   pipeline starts) gets the same error reply a refused handler gives: `{"err": <error body>}`.
 *   Without this the caller would wait for a reply that never comes.
 */
export class NatsRequestServer extends ServerNats {
  constructor(
    private readonly prefix: string,
    private readonly queue: string,
    options: NatsServerOptions,
  ) {
    super({ ...options, queue });
  }

  /** Ready only once the server has our subscriptions: a request sent right after start is answered. */
  override start(callback: (error?: unknown) => void): void {
    const client = this.unwrap<NatsConnection>();
    this.bindEvents(client);
    client.flush().then(() => callback(), callback);
  }

  override bindEvents(client: NatsConnection): void {
    for (const [pattern, handler] of this.messageHandlers) {
      const callback = this.getMessageHandler(pattern).bind(this) as (error: Error | null, message: Msg) => void;
      const queue = (handler.extras?.queue as string | undefined) ?? this.queue;
      client.subscribe(`${this.prefix}.${pattern}`, { queue, callback });
    }
  }

  override handleMessage(channel: string, message: Msg): Promise<unknown> {
    if (!tracingEnabled()) return this.answer(channel, message);
    // A command over NATS is traced like one over HTTP: a server span, continuing the caller's `traceparent` header.
    const correlationId = message.headers?.get('x-correlation-id') || undefined;
    return inSpan(
      `process ${channel}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          [messagingAttributes.system]: 'nats',
          [messagingAttributes.operationType]: 'process',
          [messagingAttributes.destination]: message.subject,
          ...(correlationId ? { [messagingAttributes.conversationId]: correlationId, [correlationIdAttribute]: correlationId } : {}),
        },
      },
      () => this.answer(channel, message),
      contextOfNatsHeaders(message.headers),
    );
  }

  private async answer(channel: string, message: Msg): Promise<unknown> {
    try {
      return await super.handleMessage(channel, message);
    } catch (error) {
      if (!(error instanceof InvalidInput || error instanceof UnreadableBody) || !message.reply) throw error;
      const { body } = toErrorResponse(error, correlationIdOf(message.headers));
      const context = new NatsContext([message.subject, message.headers]);
      return this.getPublisher(message, message.reply, context)({ err: body, isDisposed: true });
    }
  }
}
