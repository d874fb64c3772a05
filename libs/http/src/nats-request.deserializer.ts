import type { ConsumerDeserializer, IncomingEvent, IncomingRequest } from '@nestjs/microservices';
import type { Msg } from '@nats-io/transport-node';

/**
 * Lets plain NATS clients call our request/reply subjects with just a JSON body: Nest would
 * treat a message without its `{id, pattern, data}` envelope as a fire-and-forget event and
 * never reply. Messages from Nest clients keep their envelope.
 */
export class PlainJsonRequestDeserializer implements ConsumerDeserializer {
  deserialize(message: Msg, options?: { channel?: string; replyTo?: string }): IncomingRequest | IncomingEvent {
    let value: unknown = {};
    try {
      if (message.data.length > 0) value = message.json();
    } catch {
      // Unparsable bodies are validated as empty ones, so the reply names the missing fields.
    }
    if (typeof value === 'object' && value !== null && 'pattern' in value && 'data' in value) {
      return value as IncomingRequest;
    }
    const pattern = options?.channel ?? message.subject;
    return options?.replyTo ? { pattern, data: value, id: options.replyTo } : { pattern, data: value };
  }
}
