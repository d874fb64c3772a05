export * from './nats-request.deserializer';
