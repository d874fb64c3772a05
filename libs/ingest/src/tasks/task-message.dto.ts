import { IntersectionType } from '@nestjs/swagger';
import { IsOptional, IsUUID, Matches } from 'class-validator';
import {
  AttachmentDto,
  ChangeStatusDto,
  CommentDto,
  CompleteTaskDto,
  CreateTaskDto,
  PostInfoDto,
  ReasonDto,
  UpdateTaskDto,
} from './task.dto';

// Over NATS the task id and the idempotency key travel in the body instead of the URL and headers.

export class TaskRefDto {
  @IsUUID()
  taskId!: string;
}

export class CreateTaskMessage extends CreateTaskDto {
  @IsOptional()
  @Matches(/^[\x21-\x7e]{1,200}$/, { message: 'idempotencyKey must be 1-200 printable ASCII characters' })
  idempotencyKey?: string;
}

export class ChangeStatusMessage extends IntersectionType(TaskRefDto, ChangeStatusDto) {}
export class CompleteTaskMessage extends IntersectionType(TaskRefDto, CompleteTaskDto) {}
export class ReasonMessage extends IntersectionType(TaskRefDto, ReasonDto) {}
export class CommentMessage extends IntersectionType(TaskRefDto, CommentDto) {}
export class UpdateTaskMessage extends IntersectionType(TaskRefDto, UpdateTaskDto) {}
export class PostInfoMessage extends IntersectionType(TaskRefDto, PostInfoDto) {}
export class AttachmentMessage extends IntersectionType(TaskRefDto, AttachmentDto) {}
