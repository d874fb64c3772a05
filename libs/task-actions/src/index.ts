export { TaskActionsModule } from './task-actions.module';
export type { TaskActionsOptions } from './task-actions.options';
