export * from '@taskinbox/zoned-time';
export * from './rotation';
export * from './schedule';
export * from './calendar';
export * from './routing';
