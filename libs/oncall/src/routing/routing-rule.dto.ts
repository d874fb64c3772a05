import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import type { Priority } from '@taskinbox/domain';
import { OneLine } from '../oncall.checks';
import { Nested } from '@taskinbox/http';

const priorities: Priority[] = ['low', 'normal', 'high', 'urgent'];

export class RouteTargetDto {
  @ApiProperty({
    enum: ['schedule', 'group', 'user'],
    description: 'Whoever is on call on a schedule at that moment, a group, or one person.',
  })
  @IsIn(['schedule', 'group', 'user'])
  kind!: 'schedule' | 'group' | 'user';

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'target.id must be a UUID' })
  id!: string;
}

export class RouteMatchDto {
  @ApiPropertyOptional({ type: [String], example: ['refund'], description: 'Task types, any of.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  taskTypes?: string[];

  @ApiPropertyOptional({
    enum: priorities,
    isArray: true,
    description: 'Urgency levels (the task priority), any of; a task without one counts as normal.',
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(priorities, { each: true })
  priorities?: Priority[];

  @ApiPropertyOptional({ type: [String], example: ['vip'], description: 'Tags, any of.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  tags?: string[];
}

export class EscalationStepDto {
  @ApiProperty({
    example: 15,
    minimum: 1,
    maximum: 10080,
    description: 'Minutes after the previous step while still unclaimed.',
  })
  @IsInt()
  @Min(1)
  @Max(10080)
  afterMinutes!: number;

  @ApiProperty({ type: RouteTargetDto })
  @Nested(() => RouteTargetDto)
  target!: RouteTargetDto;
}

export class RoutingRuleDto {
  @ApiProperty({ example: 'urgent refunds', maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @OneLine('name')
  name!: string;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 10000,
    description: 'Place in the order (lower first; the first matching rule wins). Default: after the last rule.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10000)
  position?: number;

  @ApiProperty({ type: RouteMatchDto, description: 'Every list given must match; none given matches every task.' })
  @Nested(() => RouteMatchDto)
  match!: RouteMatchDto;

  @ApiProperty({ type: RouteTargetDto })
  @Nested(() => RouteTargetDto)
  target!: RouteTargetDto;

  @ApiPropertyOptional({ type: [EscalationStepDto], description: 'Taken in order while the task stays unclaimed.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @Nested(() => EscalationStepDto, { each: true })
  escalation?: EscalationStepDto[];
}

export class RoutingRuleView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() position!: number;
  @ApiProperty({ type: RouteMatchDto }) match!: RouteMatchDto;
  @ApiProperty({ type: RouteTargetDto }) target!: RouteTargetDto;
  @ApiProperty({ type: [EscalationStepDto] }) escalation!: EscalationStepDto[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
