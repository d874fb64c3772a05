import { ApiProperty } from '@nestjs/swagger';
import { type SeriesInterval, seriesIntervals } from './stats-query.dto';

// The answers of /api/stats, as classes so the OpenAPI document carries their schemas.

const seconds = { type: Number, nullable: true, description: 'Null when no task was completed.' } as const;

export class StatsPeriod {
  @ApiProperty({ format: 'date-time', example: '2026-06-01T00:00:00.000Z' }) from!: string;
  @ApiProperty({ format: 'date-time', description: 'Exclusive.', example: '2026-12-01T00:00:00.000Z' }) to!: string;
}

/** What a statistic covers: [from, to) and, when filtered, one task type. */
export class StatsScope {
  @ApiProperty({ type: StatsPeriod }) period!: StatsPeriod;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The task type counted; null for every type.',
    example: 'refund',
  })
  type!: string | null;
}

export class ResolutionTimeStats extends StatsScope {
  /** Completed tasks resolved in the period (cancelled ones are not resolutions). */
  @ApiProperty({ description: 'Tasks completed in the period (cancelled ones are not resolutions).', example: 42 })
  count!: number;
  @ApiProperty({ ...seconds, example: 5400 }) medianSeconds!: number | null;
  @ApiProperty({ ...seconds, example: 21600 }) p90Seconds!: number | null;
  @ApiProperty({ ...seconds, example: 86400 }) slowestSeconds!: number | null;
  /** True when the durations count working hours only. */
  @ApiProperty({ description: "True when the durations count the organisation's working hours only." })
  businessHours!: boolean;
}

/** One task type's resolution times; null figures when none of its tasks was completed. */
export class TypeResolutionTime {
  @ApiProperty({ example: 'refund' }) type!: string;
  /** Completed tasks of this type resolved in the period. */
  @ApiProperty({ description: 'Tasks of this type completed in the period.', example: 12 }) count!: number;
  @ApiProperty(seconds) medianSeconds!: number | null;
  @ApiProperty(seconds) p90Seconds!: number | null;
  @ApiProperty(seconds) slowestSeconds!: number | null;
}

export class ResolutionTimeByTypeStats extends StatsScope {
  @ApiProperty() businessHours!: boolean;
  /** Every type with a task created or finished in the period, most completed first. */
  @ApiProperty({
    type: [TypeResolutionTime],
    description: 'Every type with a task created or finished in the period, most completed first.',
  })
  types!: TypeResolutionTime[];
}

export class OutcomeShare {
  @ApiProperty({ enum: ['completed', 'cancelled'] }) outcome!: 'completed' | 'cancelled';
  /** The completion's resolution (accepted, rejected, …), or 'cancelled'. */
  @ApiProperty({
    description: "The completion's resolution (accepted, rejected, …), or 'cancelled'.",
    example: 'rejected',
  })
  resolution!: string;
  @ApiProperty({ example: 6 }) count!: number;
  /** count / total, 0..1, four decimals. */
  @ApiProperty({ description: 'count / total, 0..1, four decimals.', example: 0.6 }) share!: number;
}

export class OutcomeStats extends StatsScope {
  /** Tasks finished (completed or cancelled) in the period. */
  @ApiProperty({ description: 'Tasks finished (completed or cancelled) in the period.', example: 10 }) total!: number;
  @ApiProperty({ type: [OutcomeShare] }) outcomes!: OutcomeShare[];
}

export class SeriesScope extends StatsScope {
  /** Buckets are days (weeks, months) of this zone: the organisation calendar's. */
  @ApiProperty({
    description: "Buckets are days (weeks, months) of this zone: the organisation calendar's.",
    example: 'Europe/Berlin',
  })
  timeZone!: string;
  @ApiProperty({ enum: seriesIntervals }) interval!: SeriesInterval;
}

export class BacklogBucket {
  @ApiProperty({ format: 'date', description: 'The first day of the bucket.', example: '2026-11-30' }) date!: string;
  @ApiProperty({ description: 'Tasks open at the end of the bucket (at `to` for the last one).', example: 17 })
  open!: number;
}

export class BacklogStats extends SeriesScope {
  /** Tasks open at the start of the period. */
  @ApiProperty({ description: 'Tasks open at the start of the period.', example: 15 }) openAtStart!: number;
  /** Tasks open (not completed, not cancelled) at the end of each bucket, or at `to` for the last one. */
  @ApiProperty({ type: [BacklogBucket] }) buckets!: BacklogBucket[];
}

export class ThroughputBucket {
  @ApiProperty({ format: 'date', description: 'The first day of the bucket.', example: '2026-11-30' }) date!: string;
  @ApiProperty({ example: 8 }) created!: number;
  @ApiProperty({ description: 'Completed.', example: 6 }) resolved!: number;
  @ApiProperty({ example: 1 }) cancelled!: number;
}

export class ThroughputStats extends SeriesScope {
  /** Per bucket: tasks created, completed (resolved) and cancelled. */
  @ApiProperty({ type: [ThroughputBucket] }) buckets!: ThroughputBucket[];
}
