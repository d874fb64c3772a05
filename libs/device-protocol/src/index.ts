export * from './subjects';
export * from './job.actions';
export * from './schedule.plan';
export * from './cron.times';
export * from './run.ids';
export * from './output.capture';
export * from './agent.messages';
export * from './labels';
