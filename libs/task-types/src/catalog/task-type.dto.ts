import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import {
  actionLimits,
  type ActorRole,
  type DisplayFormat,
  displayFormats,
  type HttpMethod,
  httpMethods,
  type TaskPriority,
  taskPriorities,
} from '../pure/task-type.definition';
import { Nested } from '@taskinbox/http';

export class LayoutFieldDto {
  @ApiProperty({ example: '/amount', description: 'JSON Pointer into the payload.' })
  @IsString()
  @MaxLength(500)
  field!: string;

  @ApiProperty({ example: 'Amount' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  label!: string;

  @ApiProperty({ enum: displayFormats })
  @IsIn(displayFormats)
  format!: DisplayFormat;
}

export class TaskTypeDefaultsDto {
  @ApiPropertyOptional({ enum: taskPriorities })
  @IsOptional()
  @IsIn(taskPriorities)
  priority?: TaskPriority;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ example: 'P2D', description: 'ISO 8601 duration from creation to the due date.' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  dueOffset?: string;
}

export class ActionTargetDto {
  @ApiProperty({ enum: httpMethods })
  @IsIn(httpMethods)
  method!: HttpMethod;

  @ApiProperty({ example: 'https://shop.example.com/refunds' })
  @IsString()
  @MaxLength(2000)
  url!: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsObject()
  headers?: Record<string, string>;
}

export class TaskTypeActionDto {
  @ApiProperty({ example: 'refund' })
  @IsString()
  @MaxLength(64)
  key!: string;

  @ApiProperty({ example: 'Refund the order' })
  @IsString()
  @MaxLength(200)
  label!: string;

  @ApiProperty({ enum: ['admin', 'member', 'viewer'], isArray: true })
  @IsArray()
  @ArrayMaxSize(3)
  @IsIn(['admin', 'member', 'viewer'], { each: true })
  roles!: ActorRole[];

  @ApiPropertyOptional({ example: 'Refund this order now?' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  confirm?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'JSON Schema 2020-12 of the arguments.',
  })
  @IsOptional()
  @IsObject()
  argsSchema?: Record<string, unknown>;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { orderId: '/payload/orderId' },
  })
  @IsOptional()
  @IsObject()
  argsFrom?: Record<string, string>;

  @ApiProperty({ type: ActionTargetDto })
  @Nested(() => ActionTargetDto)
  target!: ActionTargetDto;

  @ApiPropertyOptional({ default: 10_000, maximum: actionLimits.maxTimeoutMs })
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(actionLimits.maxTimeoutMs)
  timeoutMs?: number;

  @ApiPropertyOptional({ default: 3, maximum: actionLimits.maxRetries })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(actionLimits.maxRetries)
  retries?: number;

  @ApiPropertyOptional({ description: 'Post the response back on the task as info.' })
  @IsOptional()
  @IsBoolean()
  postBack?: boolean;
}

/** One version of a type, as an admin publishes it. */
export class TaskTypeVersionDto {
  @ApiProperty({ example: 'Refund request' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'JSON Schema 2020-12 of the payload (local $ref only; no $id, no $data).',
  })
  @IsObject()
  schema!: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'react-jsonschema-form uiSchema.' })
  @IsOptional()
  @IsObject()
  uiSchema?: Record<string, unknown>;

  @ApiPropertyOptional({ type: [LayoutFieldDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Nested(() => LayoutFieldDto, { each: true })
  layout?: LayoutFieldDto[];

  @ApiPropertyOptional({ type: [String], example: ['/orderId'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(500, { each: true })
  publicFields?: string[];

  @ApiPropertyOptional({ type: TaskTypeDefaultsDto })
  @IsOptional()
  @Nested(() => TaskTypeDefaultsDto)
  defaults?: TaskTypeDefaultsDto;

  @ApiPropertyOptional({ type: [TaskTypeActionDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(actionLimits.maxActions)
  @Nested(() => TaskTypeActionDto, { each: true })
  actions?: TaskTypeActionDto[];
}

export class CreateTaskTypeDto extends TaskTypeVersionDto {
  @ApiProperty({ example: 'refund.request' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]{0,63}$/, {
    message: 'key must be 1-64 lower-case letters, digits, dots, dashes or underscores',
  })
  key!: string;
}

export class TaskTypeView extends CreateTaskTypeDto {
  @ApiProperty({ example: 1 })
  version!: number;

  @ApiProperty()
  publishedAt!: string;
}

export class TaskTypeSettingsDto {
  @ApiProperty({
    enum: ['accept', 'refuse'],
    description: 'Tasks of unregistered types: accepted (default) or refused with a 400.',
    example: 'refuse',
  })
  @IsIn(['accept', 'refuse'])
  unknownTypes!: 'accept' | 'refuse';
}
