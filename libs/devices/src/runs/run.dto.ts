import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { runStatuses, type RunStatus } from '@taskinbox/device-protocol';
import { OneLine } from '../dto.checks';
import { JobSpecView } from '../agent/agent.dto';

export class RunListQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all', { message: 'jobId must be a UUID' }) jobId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all', { message: 'deviceId must be a UUID' }) deviceId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The runs of one group run.' })
  @IsOptional()
  @IsUUID('all', { message: 'batchId must be a UUID' })
  batchId?: string;
  @ApiPropertyOptional({ enum: runStatuses }) @IsOptional() @IsIn(runStatuses) status?: RunStatus;
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export class CancelRunDto {
  @ApiPropertyOptional({ maxLength: 500, example: 'Started on the wrong packing station' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @OneLine('reason')
  reason?: string;
}

export class RunSummary {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) jobId!: string;
  @ApiProperty({ example: 3 }) jobVersion!: number;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'Rotate order export logs' }) jobName!: string | null;
  @ApiProperty({ format: 'uuid' }) deviceId!: string;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'packing-station-2' }) deviceName!: string | null;
  @ApiProperty({ enum: ['now', 'schedule'], example: 'schedule' }) trigger!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'user:<id> for run now.' }) requestedBy!: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) batchId!: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) scheduleId!: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) scheduledFor!: string | null;
  @ApiProperty({ enum: runStatuses, example: 'succeeded' }) status!: RunStatus;
  @ApiProperty({ example: 2 }) actionCount!: number;
  @ApiProperty({ example: 2 }) actionsDone!: number;
  @ApiPropertyOptional({ nullable: true, type: String }) error!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Why a scheduled slot did not run.' })
  missedReason!: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'The inbox task it opened.' })
  taskId!: string | null;
  @ApiProperty({ format: 'date-time', description: 'Requested at; a scheduled run: its slot.' }) at!: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) dispatchedAt!: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) startedAt!: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) finishedAt!: string | null;
}

export class RunPage {
  @ApiProperty({ type: [RunSummary] }) items!: RunSummary[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor!: string | null;
}

export class ActionResultView {
  @ApiProperty() index!: number;
  @ApiProperty() type!: string;
  @ApiProperty({ description: 'What the action did, in a line.' }) summary!: string;
  @ApiProperty() ok!: boolean;
  @ApiPropertyOptional({ nullable: true, type: Number }) code!: number | null;
  @ApiProperty() output!: string;
  @ApiProperty() error!: string;
  @ApiProperty() truncated!: boolean;
  @ApiProperty() durationMs!: number;
  @ApiProperty({ format: 'date-time' }) finishedAt!: string;
}

export class RunDetail extends RunSummary {
  @ApiPropertyOptional({ type: JobSpecView, nullable: true, description: 'The job as the run carried it.' })
  job!: JobSpecView | null;
  @ApiProperty({ type: [ActionResultView] }) actions!: ActionResultView[];
}
