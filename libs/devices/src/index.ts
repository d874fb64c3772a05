export * from './devices.module';
export * from './devices.clock';
export { RunRetention } from './retention/run.retention';
export { failedRunTaskType } from './runs/run-task.opener';
