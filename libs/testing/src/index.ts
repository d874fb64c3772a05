export * from './test-app';
export * from './test-database';
export * from './browser';
export * from './test-queue';
export * from './nats-server';
export * from './test-nats';
export * from './own-servers';
