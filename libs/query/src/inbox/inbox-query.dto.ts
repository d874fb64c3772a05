import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  Validate,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import type { TaskStatus } from '@taskinbox/domain';
import { timestampWithOffset, toBoolean, toList } from '../tasks/query-param.helpers';
import { decodeCursor } from './inbox.cursor';

export const taskStatuses: TaskStatus[] = ['pending', 'processing', 'waiting', 'completed', 'cancelled'];
export const INBOX_DEFAULT_LIMIT = 50;
export const INBOX_MAX_LIMIT = 200;

const uuid = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

@ValidatorConstraint({ name: 'isInboxCursor' })
class IsInboxCursor implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && decodeCursor(value) !== null;
  }
  defaultMessage(): string {
    return 'cursor must be a nextCursor returned by this endpoint';
  }
}

/** Filters and paging of the shared inbox. Every filter narrows the list (they combine with AND). */
export class InboxQueryDto {
  @ApiPropertyOptional({
    enum: taskStatuses,
    isArray: true,
    description:
      'One or several statuses (repeat the parameter or separate with commas). Given, it alone decides which statuses show.',
  })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(taskStatuses.length)
  @IsIn(taskStatuses, { each: true })
  status?: TaskStatus[];

  @ApiPropertyOptional({ example: 'refund.approval', description: 'Task type.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  type?: string;

  @ApiPropertyOptional({ description: 'Tasks suggested to this assignee (user id or e-mail, as the sender gave it).' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  assignee?: string;

  @ApiPropertyOptional({ example: 'ACME-42', description: "Tasks about this customer (the task's customerRef, exactly)." })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  customer?: string;

  @ApiPropertyOptional({ example: 'website-relaunch', description: "Tasks of this project (the task's projectRef, exactly)." })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  project?: string;

  @ApiPropertyOptional({ example: 'refund', description: 'Tasks carrying this tag.' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  tag?: string;

  @ApiPropertyOptional({ example: 'me', description: "Tasks claimed by this user: 'me' (the caller) or a user id." })
  @IsOptional()
  @IsString()
  @Matches(new RegExp(`^(me|${uuid})$`), { message: "claimer must be 'me' or a user id" })
  claimer?: string;

  @ApiPropertyOptional({ description: 'Only tasks whose assignees include the caller (by user id or e-mail).' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  assignedToMe?: boolean;

  @ApiPropertyOptional({
    example: '2026-12-01T00:00:00Z',
    description: 'Due at or after this moment (timestamp with offset).',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(timestampWithOffset, { message: 'dueFrom must be a timestamp with an offset, e.g. 2026-12-01T00:00:00Z' })
  dueFrom?: string;

  @ApiPropertyOptional({
    example: '2026-12-08T00:00:00Z',
    description: 'Due before this moment (timestamp with offset).',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(timestampWithOffset, { message: 'dueTo must be a timestamp with an offset, e.g. 2026-12-08T00:00:00Z' })
  dueTo?: string;

  @ApiPropertyOptional({
    example: 'refund 104',
    description:
      'Free text over title, description, type, references and tags: words (all must match), "quoted phrases", -excluded, or. The last word also matches as a prefix, for search-as-you-type.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({
    default: false,
    description: 'Include completed and cancelled tasks (ignored when status is given).',
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  showCompleted?: boolean;

  @ApiPropertyOptional({ default: INBOX_DEFAULT_LIMIT, minimum: 1, maximum: INBOX_MAX_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(INBOX_MAX_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page.' })
  @IsOptional()
  @IsString()
  @Validate(IsInboxCursor)
  cursor?: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['0193f1a2-7c3e-7d4a-9c1b-2f4e6a8b0c1d:2'],
    description:
      "Read-your-writes: '<taskId>:<version>' (the version a command returned). The answer waits, up to 2 s, until the list reflects it; otherwise it carries X-Read-Model-Stale: true.",
  })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(new RegExp(`^${uuid}:\\d{1,9}$`), { each: true, message: "waitFor must be '<taskId>:<version>'" })
  waitFor?: string[];
}
