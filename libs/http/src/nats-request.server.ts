import { NatsContext, ServerNats } from '@nestjs/microservices';
import type { Msg } from '@nats-io/transport-node';
import { correlationIdOf } from './correlation';
import { toErrorResponse } from './error-response';
import { InvalidInput, UnreadableBody } from './input/input.check';

/**
 * Nest's NATS server, answering a request the input check refused (PlainJsonRequestDeserializer
 * throws before Nest's pipeline starts) with the same error reply a refused handler gives:
 * `{"err": <error body>}`. Without this the caller would wait for a reply that never comes.
 */
export class NatsRequestServer extends ServerNats {
  override async handleMessage(channel: string, message: Msg): Promise<unknown> {
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
