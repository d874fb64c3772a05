export * from './event-store';
export { PostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store';
export { EventStoreDbEventStore, type EventStoreDbEventStoreOptions } from './eventstoredb-event-store';
export * from './event-store.module';
export { type Snapshot, SnapshotStore } from './snapshot.store';
export { CheckpointFollower, type CheckpointFollowerOptions } from './checkpoint.follower';
export { type AppendObserver, observingAppends } from './appended.counter';
export { Pause } from './pause';
