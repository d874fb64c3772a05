import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Validate,
} from 'class-validator';
import { type AssigneeInput, assigneeRefSchema, IsAssigneeList } from '@taskinbox/auth';
import type { Priority, TaskStatus } from '@taskinbox/domain';

const priorities: Priority[] = ['low', 'normal', 'high', 'urgent'];
const statuses: TaskStatus[] = ['pending', 'processing', 'waiting', 'completed', 'cancelled'];

const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The editable details of a task, shared by create and update. */
export class TaskDetailsDto {
  @ApiPropertyOptional({ maxLength: 10000 })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  description?: string;

  @ApiPropertyOptional({ example: '2026-12-01T17:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  // ISO 8601 also allows week dates and compact forms that JavaScript cannot read back.
  @Matches(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2}))?$/, {
    message: 'dueAt must be a date (2026-12-01) or a date and time with an offset (2026-12-01T17:00:00Z)',
  })
  dueAt?: string;

  @ApiPropertyOptional({ enum: priorities })
  @IsOptional()
  @IsIn(priorities)
  priority?: Priority;

  @ApiPropertyOptional({ type: [String], example: ['refund'] })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  tags?: string[];

  @ApiPropertyOptional({
    type: 'array',
    maxItems: 20,
    items: { oneOf: [{ type: 'string', minLength: 1, maxLength: 200 }, assigneeRefSchema] },
    description:
      "Suggested owners, not a lock: people or groups of the organisation, as {kind, id}, or a person's id or e-mail or a group's id. Unknown ones are refused (400).",
  })
  @IsOptional()
  @Validate(IsAssigneeList)
  assignees?: AssigneeInput[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  customerRef?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  projectRef?: string;

  @ApiPropertyOptional({ description: 'The project milestone the task belongs to.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  milestoneRef?: string;

  @ApiPropertyOptional({ description: 'Private tasks are hidden from end-user views.' })
  @IsOptional()
  @IsBoolean()
  private?: boolean;
}

export class CreateTaskDto extends TaskDetailsDto {
  @ApiProperty({ example: 'refund.approval', description: 'Task type: lower-case letters, digits, dots, dashes, underscores.' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]{0,63}$/, { message: 'type must be 1-64 lower-case letters, digits, dots, dashes or underscores' })
  type!: string;

  @ApiProperty({ example: 'Refund order #1042', maxLength: 200 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Any JSON object the sender wants to attach.',
    example: { orderId: 1042, amount: 25 },
  })
  @IsOptional()
  @IsObject()
  payload?: Record<string, unknown>;

  @ApiPropertyOptional({ description: "The sender's own id for the thing this task is about." })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  externalRef?: string;

  @ApiPropertyOptional({ description: "Also make a status link for the task's end user: the answer carries it once as statusLink.url." })
  @IsOptional()
  @IsBoolean()
  statusLink?: boolean;
}

export class UpdateTaskDto extends TaskDetailsDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title?: string;
}

export class ChangeStatusDto {
  @ApiProperty({ enum: statuses, description: 'The status the task should move to.' })
  @IsIn(statuses)
  status!: TaskStatus;

  @ApiPropertyOptional({
    example: 'accepted',
    default: 'done',
    description: "With status 'completed': how the task ended (e.g. accepted, rejected). Omitted: 'done'.",
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  resolution?: string;

  @ApiPropertyOptional({ description: 'A note kept with the change (completion note, hold or cancel reason).' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class CompleteTaskDto {
  @ApiPropertyOptional({ example: 'accepted', default: 'done', description: "How the task ended. Omitted: 'done'." })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  resolution?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class ReasonDto {
  @ApiPropertyOptional({ example: 'Duplicate of the refund request for order 10432.' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

export class CommentDto {
  @ApiProperty({ maxLength: 10000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(10000)
  body!: string;
}

export class PostInfoDto {
  @ApiProperty({ type: 'object', additionalProperties: true, example: { trackingNumber: 'ZX81' } })
  @IsObject()
  info!: Record<string, unknown>;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class AssigneeRefDto {
  @ApiProperty({ enum: ['user', 'group'] })
  @IsIn(['user', 'group'])
  kind!: 'user' | 'group';

  @ApiProperty({ format: 'uuid' })
  @Matches(uuidShape, { message: 'id must be a UUID' })
  id!: string;
}

export class RunActionBodyDto {
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { amount: 12.5 }, description: "Checked against the action's argsSchema, after argsFrom." })
  @IsOptional()
  @IsObject()
  args?: Record<string, unknown>;
}

/** A custom action of the task's type, by key; over NATS the key travels in the body. */
export class RunActionDto extends RunActionBodyDto {
  @ApiProperty({ example: 'refund' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9_-]{0,63}$/, { message: 'key must be an action key of the task type' })
  key!: string;
}

export class TagDto {
  @ApiProperty({ type: [String], example: ['refund'], description: 'Tags added to those the task has.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  tags!: string[];
}
