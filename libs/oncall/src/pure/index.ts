export * from './zoned-time';
export * from './rotation';
export * from './schedule';
export * from './calendar';
export * from './routing';
