import { Module } from '@nestjs/common';
import { TaskTypeCatalog } from './catalog/task-type.catalog';
import { TaskTypeController } from './catalog/task-type.controller';
import { TemplateController } from './templates/template.controller';
import { TemplateService } from './templates/template.service';

/** Per-organisation task types (versioned payload schemas, layouts, defaults, actions) and templates. */
@Module({
  controllers: [TaskTypeController, TemplateController],
  providers: [TaskTypeCatalog, TemplateService],
  exports: [TaskTypeCatalog, TemplateService],
})
export class TaskTypesModule {}
