export { TaskTypesModule } from './task-types.module';
export { TaskTypeCatalog, type PublishedTaskType, type TypeCheck } from './catalog/task-type.catalog';
export { TemplateService, type Template } from './templates/template.service';
export { addDuration } from './pure/task-type.decider';
export { PayloadSchemas, type PayloadProblem } from './schema/payload.schemas';
export { actionLimits, type TaskTypeAction, type TaskTypeDefinition, type TaskTypeVersion } from './pure/task-type.definition';
export * from './task-types.errors';
