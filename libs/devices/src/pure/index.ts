export * from './device.rejections';
export * from './device.events';
export * from './device.decider';
export * from './run.events';
export * from './run.decider';
