import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { timestampWithOffset, toBoolean } from '../tasks/query-param.helpers';

/** A calendar date (read in the organisation's time zone) or a timestamp with an offset. */
const dateOrTimestamp = new RegExp(`^\\d{4}-\\d{2}-\\d{2}$|${timestampWithOffset.source}`);

export const seriesIntervals = ['day', 'week', 'month'] as const;
export type SeriesInterval = (typeof seriesIntervals)[number];

/** Which tasks and which period a statistic covers. */
export class StatsQueryDto {
  @ApiPropertyOptional({ example: 'refund.approval', description: 'Only tasks of this type.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  type?: string;

  @ApiPropertyOptional({
    example: '2026-05-01',
    description:
      "Period start, inclusive: a date (midnight in the organisation calendar's time zone) or a timestamp with offset. Default: six months before `to`.",
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(dateOrTimestamp, { message: 'from must be a date (2026-05-01) or a timestamp with an offset' })
  from?: string;

  @ApiPropertyOptional({
    example: '2026-10-31',
    description: 'Period end: a date (the whole day is included) or a timestamp with offset (exclusive). Default: now.',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(dateOrTimestamp, { message: 'to must be a date (2026-10-31) or a timestamp with an offset' })
  to?: string;
}

export class ResolutionTimeQueryDto extends StatsQueryDto {
  @ApiPropertyOptional({
    default: false,
    description: "Count only the organisation's working hours (GET /api/settings/calendar).",
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  businessHours?: boolean;
}

export class SeriesQueryDto extends StatsQueryDto {
  @ApiPropertyOptional({
    enum: seriesIntervals,
    default: 'day',
    description: "Bucket size, in the calendar's time zone (weeks start on Monday).",
  })
  @IsOptional()
  @IsIn(seriesIntervals)
  interval?: SeriesInterval;
}

/** GET /api/stats/recompute: the business-hours recompute a calendar change started. */
export class StatsRecomputeDto {
  @ApiProperty({
    enum: ['idle', 'queued', 'running', 'done', 'failed'],
    description:
      'idle: no calendar change yet; queued/running: stats are read from the task facts meanwhile; done: from the rollups again.',
    example: 'running',
  })
  state!: 'idle' | 'queued' | 'running' | 'done' | 'failed';

  @ApiProperty({ description: 'Resolved tasks recomputed so far.', example: 1200 })
  done!: number;

  @ApiProperty({ description: 'Resolved tasks to recompute (those resolved when the calendar changed).', example: 4800 })
  total!: number;
}
