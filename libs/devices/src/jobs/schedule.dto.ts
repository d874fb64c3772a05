import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import {
  misfirePolicies,
  overlapPolicies,
  type MisfirePolicy,
  type OverlapPolicy,
} from '@taskinbox/device-protocol';
import { OneLine } from '../dto.checks';

// Named apart from the on-call ScheduleDto/ScheduleView: the document keeps one schema per name.
@ApiSchema({ name: 'JobScheduleDto' })
export class ScheduleDto {
  @ApiProperty({
    example: '30 2 * * *',
    description:
      'Five fields (minute hour day month weekday), or six with seconds first, on the wall clock of `timezone`. ' +
      'Daylight saving: a time inside the skipped hour runs at the first moment after it; a time inside the repeated ' +
      'hour runs once, at its first occurrence; hourly and finer patterns run in both passes of the repeated hour.',
  })
  @IsString()
  @MaxLength(200)
  @OneLine('cron')
  cron!: string;

  @ApiPropertyOptional({ example: 'Europe/Berlin', default: 'UTC', description: 'An IANA time zone.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @OneLine('timezone')
  timezone?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'One device; or give groupId.' })
  @ValidateIf((body: ScheduleDto) => body.groupId === undefined)
  @IsUUID('all', { message: 'deviceId must be a UUID (or give groupId instead)' })
  deviceId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Every device of the group, as it is at each slot.' })
  @ValidateIf((body: ScheduleDto) => body.groupId !== undefined || body.deviceId === undefined)
  @IsUUID('all', { message: 'groupId must be a UUID (or give deviceId instead)' })
  groupId?: string;

  @ApiPropertyOptional({
    enum: misfirePolicies,
    default: 'run_once',
    description:
      'Slots that came due while the agent was not running: skip records them missed; run_once runs the newest and ' +
      'records the others; run_all runs each, oldest first.',
  })
  @IsOptional()
  @IsIn(misfirePolicies)
  misfire?: MisfirePolicy;

  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    minimum: 1,
    maximum: 30 * 24 * 3600,
    description: 'A slot later than this never runs (recorded missed). Null: no deadline.',
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(30 * 24 * 3600)
  startingDeadlineSeconds?: number | null;

  @ApiPropertyOptional({
    enum: overlapPolicies,
    default: 'forbid',
    description:
      "A slot that comes due while this schedule's previous run still runs on the device: allow runs both; forbid " +
      'records the new slot missed; replace cancels the running one and starts the new.',
  })
  @IsOptional()
  @IsIn(overlapPolicies)
  overlap?: OverlapPolicy;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

@ApiSchema({ name: 'JobScheduleView' })
export class ScheduleView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) jobId!: string;
  @ApiProperty() cron!: string;
  @ApiProperty() timezone!: string;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) deviceId!: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) groupId!: string | null;
  @ApiProperty({ enum: misfirePolicies }) misfire!: MisfirePolicy;
  @ApiProperty({ nullable: true, type: Number }) startingDeadlineSeconds!: number | null;
  @ApiProperty({ enum: overlapPolicies }) overlap!: OverlapPolicy;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ type: [String], description: 'The next three slots (UTC instants).', example: ['2026-03-29T01:00:00.000Z'] })
  nextRuns!: string[];
  @ApiProperty({ format: 'date-time' }) activeFrom!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
