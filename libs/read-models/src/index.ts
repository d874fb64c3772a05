export * from './inbox-task.entity';
export * from './org-calendar.entity';
export * from './read-models.module';
export * from './task-fact.entity';
export * from './timeline-entry.entity';
export * from './read-models.channel';
export * from './device-view.entity';
export * from './run-view.entity';
