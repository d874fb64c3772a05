export * from './test-app';
export * from './test-database';
export * from './browser';
export * from './test-queue';
