import type { ConsumerDeserializer, IncomingEvent, IncomingRequest } from '@nestjs/microservices';
import type { Msg } from '@nats-io/transport-node';
import { type InputLimits, assertAcceptableInput, readJsonInput } from './input/input.check';

/**
 * Lets plain NATS clients call our request/reply subjects with just a JSON body: Nest would
 * treat a message without its `{id, pattern, data}` envelope as a fire-and-forget event and
 * never reply. Messages from Nest clients keep their envelope. It is also the NATS side of the
 * input check: a message whose body or headers the check refuses throws InvalidInput or
 * UnreadableBody, which NatsRequestServer answers.
 */
export class PlainJsonRequestDeserializer implements ConsumerDeserializer {
  constructor(private readonly limits: InputLimits) {}

  deserialize(message: Msg, options?: { channel?: string; replyTo?: string }): IncomingRequest | IncomingEvent {
    const value = message.data.length > 0 ? readJsonInput(message.data, this.limits) : {};
    const enveloped = typeof value === 'object' && value !== null && 'pattern' in value && 'data' in value;
    const headers: Record<string, string> = {};
    for (const [name, values] of message.headers ?? []) headers[name] = values.join(', ');
    assertAcceptableInput(
      [
        { value: headers, in: 'header' },
        { value: enveloped ? (value as { data: unknown }).data : value, in: 'body' },
      ],
      this.limits,
    );
    if (enveloped) return value as IncomingRequest;
    const pattern = options?.channel ?? message.subject;
    return options?.replyTo ? { pattern, data: value, id: options.replyTo } : { pattern, data: value };
  }
}
