export * from './ingest.module';
export * from './tasks/task-command.handler';
export * from './tasks/task.dto';
export * from './tasks/task.subjects';
export * from './tasks/task.view';
export { type TaskChange, taskChanges } from './tasks/task-change.command';
export { STATUS_LINK_ISSUER, type StatusLinkIssuer } from './tasks/status-link.issuer';
export { taskCommandTable } from './tasks/task-command.table';
