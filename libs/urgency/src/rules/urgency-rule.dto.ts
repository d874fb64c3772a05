import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { type UrgencyLevel, urgencyLevels } from '../pure/urgency.rules';
import { Nested } from '@taskinbox/http';

export class PayloadConditionDto {
  @ApiProperty({ example: 'customer.tier', description: 'Dotted path into the payload.' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}(\.[A-Za-z0-9_-]{1,64}){0,7}$/, {
    message: 'path must be up to 8 dot-separated names of letters, digits, _ or -',
  })
  path!: string;

  @ApiProperty({ example: 'gold', description: 'Compared as text: 3 and true match "3" and "true".' })
  @IsString()
  @MaxLength(200)
  equals!: string;
}

export class UrgencyConditionDto {
  @ApiPropertyOptional({ type: [String], example: ['refund.approval'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  taskTypes?: string[];

  @ApiPropertyOptional({ description: 'The deadline has passed (true), or has not or there is none (false).' })
  @IsOptional()
  @IsBoolean()
  overdue?: boolean;

  @ApiPropertyOptional({
    example: 4,
    description: 'The deadline is at most this many hours away (passed ones included).',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100000)
  dueWithinHours?: number;

  @ApiPropertyOptional({
    example: 1,
    description: "Fewer business hours than this are left on the SLO of the task's type (missed ones included).",
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100000)
  sloHoursLeftBelow?: number;

  @ApiPropertyOptional({
    description: "The ETA's upper bound is past the deadline (matches only where an ETA is known).",
  })
  @IsOptional()
  @IsBoolean()
  etaPastDeadline?: boolean;

  @ApiPropertyOptional({ description: "Someone tagged the task 'urgent'." })
  @IsOptional()
  @IsBoolean()
  flagged?: boolean;

  @ApiPropertyOptional({ type: PayloadConditionDto, description: 'A customer field (or any field) of the payload.' })
  @IsOptional()
  @Nested(() => PayloadConditionDto)
  payload?: PayloadConditionDto;
}

export class UrgencyRuleDto {
  @ApiProperty({ type: UrgencyConditionDto, description: 'Every condition given must hold; none matches every task.' })
  @Nested(() => UrgencyConditionDto)
  when!: UrgencyConditionDto;

  @ApiProperty({ enum: urgencyLevels })
  @IsIn(urgencyLevels)
  level!: UrgencyLevel;

  @ApiProperty({ example: 'Gold customer', maxLength: 200, description: 'Shown in the inbox next to the level.' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  reason!: string;
}

export class UrgencyRulesDto {
  @ApiProperty({
    type: [UrgencyRuleDto],
    description: 'In order: the first rule that matches a task gives its urgency; none matching leaves it normal.',
  })
  @IsArray()
  @ArrayMaxSize(100)
  @Nested(() => UrgencyRuleDto, { each: true })
  rules!: UrgencyRuleDto[];
}

export class UrgencyRulesView extends UrgencyRulesDto {
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  updatedAt!: string | null;
}
