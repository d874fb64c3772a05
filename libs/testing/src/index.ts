export * from './test-app';
export * from './test-database';
export * from './browser';
export * from './test-queue';
export * from './nats-server';
export * from './test-nats';
export * from './s3-server';
export * from './own-servers';
