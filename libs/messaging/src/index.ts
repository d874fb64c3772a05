export * from './nats.connection';
export * from './events/event-envelope';
export * from './events/event-subjects';
export * from './events/task-event.check';
export * from './events/task-event.metrics';
export * from './live/task-event.feed';
export { defaultEventsMaxAgeMs, duplicateWindowMs, ensureTaskEventsStream } from './relay/task-events.stream';
export { RelayModule } from './relay/relay.module';
export {
  relayCheckpointName,
  type RelayDependencies,
  type RelayOptions,
  type RelayRole,
  RelayService,
} from './relay/relay.service';
export { asyncApiDocument, type CommandChannel } from './asyncapi/asyncapi.document';
export { AsyncApiModule } from './asyncapi/asyncapi.module';
