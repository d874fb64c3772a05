import { Module } from '@nestjs/common';
import { TaskTypesModule } from '@taskinbox/task-types';
import { TemplateTaskController } from './templates/template-task.controller';
import { PayloadRedactor } from './tasks/payload.redactor';
import { TaskBulkController } from './tasks/task-bulk.controller';
import { TaskCommandHandler } from './tasks/task-command.handler';
import { TaskController } from './tasks/task.controller';
import { TaskNatsController } from './tasks/task-nats.controller';

/** Turns commands (HTTP and NATS request/reply) into task events. */
@Module({
  imports: [TaskTypesModule],
  controllers: [TaskBulkController, TaskController, TaskNatsController, TemplateTaskController],
  providers: [TaskCommandHandler, PayloadRedactor],
  exports: [TaskCommandHandler],
})
export class IngestModule {}
