import { IsOptional, IsUUID, Matches } from 'class-validator';
import { CreateTaskDto } from './task.dto';

// Over NATS the task id and the idempotency key travel in the body instead of the URL and headers.
// The other commands' messages are their HTTP body plus TaskRefDto, built from the command table.

export class TaskRefDto {
  @IsUUID()
  taskId!: string;
}

export class CreateTaskMessage extends CreateTaskDto {
  @IsOptional()
  @Matches(/^[\x21-\x7e]{1,200}$/, { message: 'idempotencyKey must be 1-200 printable ASCII characters' })
  idempotencyKey?: string;
}
