export * from './ingest.module';
export * from './tasks/task-command.handler';
export * from './tasks/task.dto';
export * from './tasks/task.subjects';
export * from './tasks/task.view';
export { type TaskChange } from './tasks/task-change.command';
export { taskCommandTable } from './tasks/task-command.table';
