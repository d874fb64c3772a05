import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  Validate,
} from 'class-validator';
import { type AssigneeInput, assigneeRefSchema, IsAssigneeList, type NamedAssignee } from '@taskinbox/auth';
import type { TaskPriority } from '../pure/task-type.definition';
import { taskPriorities } from '../pure/task-type.definition';
import { Nested } from '@taskinbox/http';

export class TemplateFileDto {
  @ApiProperty({ example: 'checklist.pdf' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'https://files.example.com/checklist.pdf' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2000)
  url!: string;
}

/** A reusable pattern for tasks made by hand (seed 001's templates). */
export class TemplateDto {
  @ApiProperty({ example: 'Sponsor onboarding' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({ example: 'general', description: 'Task type of the tasks it makes.' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]{0,63}$/, {
    message: 'type must be 1-64 lower-case letters, digits, dots, dashes or underscores',
  })
  type!: string;

  @ApiProperty({ example: 'Onboard the sponsor' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title!: string;

  @ApiPropertyOptional({ maxLength: 10000 })
  @IsOptional()
  @IsString()
  @MaxLength(10000)
  description?: string;

  @ApiPropertyOptional({ enum: ['pending', 'waiting'], default: 'pending' })
  @IsOptional()
  @IsIn(['pending', 'waiting'])
  status?: 'pending' | 'waiting';

  @ApiPropertyOptional({ example: 'P3D', description: 'ISO 8601 duration from creation to the due date.' })
  @IsOptional()
  @Matches(/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/, {
    message: 'dueOffset must be an ISO 8601 duration, e.g. P3D or PT4H',
  })
  dueOffset?: string;

  @ApiPropertyOptional({ enum: taskPriorities })
  @IsOptional()
  @IsIn(taskPriorities)
  priority?: TaskPriority;

  @ApiPropertyOptional({
    type: 'array',
    maxItems: 20,
    items: { oneOf: [{ type: 'string', minLength: 1, maxLength: 200 }, assigneeRefSchema] },
    description:
      "People or groups of the organisation (checked when saved): {kind, id}, or a person's id or e-mail or a group's id.",
  })
  @IsOptional()
  @Validate(IsAssigneeList)
  assignees?: AssigneeInput[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ type: [TemplateFileDto], description: 'Attached to every task made from it.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Nested(() => TemplateFileDto, { each: true })
  files?: TemplateFileDto[];

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) customerRef?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) projectRef?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) milestoneRef?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Payload of the tasks it makes (checked against the type then).',
  })
  @IsOptional()
  @IsObject()
  payload?: Record<string, unknown>;
}

export class UpdateTemplateDto extends PartialType(TemplateDto) {}

export class TemplateView extends TemplateDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({
    type: 'array',
    items: {
      type: 'object',
      properties: { kind: { type: 'string' }, id: { type: 'string' }, name: { type: 'string' } },
    },
  })
  declare assignees: NamedAssignee[];

  @ApiProperty()
  createdAt!: string;

  @ApiProperty()
  updatedAt!: string;
}
