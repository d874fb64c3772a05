export * from './task.commands';
export * from './task.decider';
export * from './task.errors';
export * from './task.events';
export * from './task.visibility';
