import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsDateString,
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
import { ClockTime, OneLine, TimeZone } from '../oncall.checks';
import { Nested } from '@taskinbox/http';

export class RuleTargetDto {
  @ApiProperty({ enum: ['rotation', 'user'], description: "A rotation's current person, or one person." })
  @IsIn(['rotation', 'user'])
  kind!: 'rotation' | 'user';

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'target.id must be a UUID' })
  id!: string;
}

export class ScheduleRuleDto {
  @ApiProperty({ type: [Number], example: [1, 2, 3, 4, 5], description: 'Weekdays, 0 = Sunday … 6 = Saturday.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(0, { each: true })
  @Max(6, { each: true })
  days!: number[];

  @ApiProperty({ example: '09:00', description: 'Wall-clock start (HH:mm) in the schedule zone.' })
  @ClockTime('start')
  start!: string;

  @ApiProperty({
    example: '17:00',
    description: 'Wall-clock end; before start runs past midnight, equal to start is the whole day.',
  })
  @ClockTime('end')
  end!: string;

  @ApiProperty({ type: RuleTargetDto })
  @Nested(() => RuleTargetDto)
  target!: RuleTargetDto;
}

export class ScheduleDto {
  @ApiProperty({ example: 'support', maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @OneLine('name')
  name!: string;

  @ApiProperty({ example: 'Europe/Berlin' })
  @TimeZone('timeZone')
  timeZone!: string;

  @ApiProperty({ type: [ScheduleRuleDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @Nested(() => ScheduleRuleDto, { each: true })
  rules!: ScheduleRuleDto[];
}

export class OverrideDto {
  @ApiProperty({ format: 'date-time', example: '2026-12-24T17:00:00.000Z' })
  @IsDateString({ strict: true }, { message: 'start must be an ISO 8601 date-time' })
  start!: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-27T08:00:00.000Z' })
  @IsDateString({ strict: true }, { message: 'end must be an ISO 8601 date-time' })
  end!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Put this person on call (alone: in addition; with remove: instead).',
  })
  @IsOptional()
  @IsUUID('all', { message: 'add must be a user id (UUID)' })
  add?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Take this person off call.' })
  @IsOptional()
  @IsUUID('all', { message: 'remove must be a user id (UUID)' })
  remove?: string;
}

export class OverrideView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-24T17:00:00.000Z' }) start!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-27T08:00:00.000Z' }) end!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) add!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) remove!: string | null;
}

export class ScheduleView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() timeZone!: string;
  @ApiProperty({ type: [ScheduleRuleDto] }) rules!: ScheduleRuleDto[];
  @ApiProperty({ type: [OverrideView], description: 'Overrides that have not ended yet.' }) overrides!: OverrideView[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

// Named apart from the people directory's PersonView: the document keeps one schema per name.
@ApiSchema({ name: 'OnCallPersonView' })
export class PersonView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Sam' }) name!: string;
}

export class OnCallSpanView {
  @ApiProperty({ type: [PersonView], description: 'Empty: nobody is on call.' }) people!: PersonView[];
  @ApiProperty({ format: 'date-time', example: '2026-12-07T08:00:00.000Z' }) start!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-14T08:00:00.000Z' }) end!: string;
}

export class OnCallView {
  @ApiProperty({ format: 'date-time', example: '2026-12-09T14:30:00.000Z' }) at!: string;
  @ApiProperty({ type: OnCallSpanView, description: 'Who is on call at `at`, since when and until when.' })
  current!: OnCallSpanView;
  @ApiProperty({ type: OnCallSpanView, nullable: true, description: 'Who comes next (within 60 days).' })
  next!: OnCallSpanView | null;
}

export class OnCallQuery {
  @ApiPropertyOptional({ format: 'date-time', description: 'Default now.' })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'at must be an ISO 8601 date-time' })
  at?: string;
}

export class SpansQuery {
  @ApiPropertyOptional({ format: 'date-time', description: 'Default now.' })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'from must be an ISO 8601 date-time' })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Default 14 days after from; at most 90 days after it.' })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'to must be an ISO 8601 date-time' })
  to?: string;
}
