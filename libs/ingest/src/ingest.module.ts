import { Module } from '@nestjs/common';
import { TaskCommandHandler } from './tasks/task-command.handler';
import { TaskController } from './tasks/task.controller';
import { TaskNatsController } from './tasks/task-nats.controller';

/** Turns commands (HTTP and NATS request/reply) into task events. */
@Module({
  controllers: [TaskController, TaskNatsController],
  providers: [TaskCommandHandler],
  exports: [TaskCommandHandler],
})
export class IngestModule {}
