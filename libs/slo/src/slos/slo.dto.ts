import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsNumber, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

export class SloDto {
  @ApiProperty({ example: 'Refunds within a morning', maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiProperty({ example: 'refund.approval' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]{0,63}$/, {
    message: 'taskType must be 1-64 lower-case letters, digits, dots, dashes or underscores',
  })
  taskType!: string;

  @ApiProperty({
    example: 95,
    minimum: 50,
    maximum: 99.999,
    description: 'Percentage of tasks that must be resolved in time.',
  })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(50)
  @Max(99.999)
  targetPercent!: number;

  @ApiProperty({
    example: 4,
    minimum: 0.1,
    maximum: 10000,
    description: "Business hours (the organisation's working hours; waiting on the end user excluded).",
  })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.1)
  @Max(10000)
  withinBusinessHours!: number;

  @ApiProperty({ example: 30, minimum: 1, maximum: 366, description: 'Rolling window in days.' })
  @IsInt()
  @Min(1)
  @Max(366)
  windowDays!: number;
}

export class SloView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  taskType!: string;

  @ApiProperty({ example: 95 })
  targetPercent!: number;

  @ApiProperty({ example: 4 })
  withinBusinessHours!: number;

  @ApiProperty({ example: 30 })
  windowDays!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The SLO as an OpenSLO v1 document (apiVersion openslo/v1, kind SLO).',
  })
  openslo!: Record<string, unknown>;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class ErrorBudgetView {
  @ApiProperty({ description: 'Bad tasks the objective allows over the window.' })
  allowedBad!: number;

  @ApiProperty({ description: 'Share of the budget left (1 = untouched, below 0 = overspent).' })
  remaining!: number;
}

export class BurnRateView {
  @ApiProperty({ enum: ['fast', 'slow'], description: 'fast: 1 h and 5 min at 14.4×; slow: 6 h and 30 min at 6×.' })
  rule!: string;

  @ApiProperty()
  threshold!: number;

  @ApiProperty({ description: 'Burn rate over the long window.' })
  long!: number;

  @ApiProperty({ description: 'Burn rate over the short window.' })
  short!: number;

  @ApiProperty({ description: 'Tasks counted in the long window.' })
  events!: number;

  @ApiProperty()
  firing!: boolean;
}

export class SloStatusView {
  @ApiProperty({ format: 'uuid' })
  sloId!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  taskType!: string;

  @ApiProperty({ example: 95 })
  targetPercent!: number;

  @ApiProperty({ format: 'date-time' })
  windowStart!: string;

  @ApiProperty({ format: 'date-time' })
  windowEnd!: string;

  @ApiProperty({ description: 'Completed tasks in the window, plus open ones already past the objective.' })
  total!: number;

  @ApiProperty()
  good!: number;

  @ApiProperty()
  bad!: number;

  @ApiProperty({ nullable: true, type: Number, description: 'good / total; null without tasks.' })
  attainment!: number | null;

  @ApiProperty({ type: ErrorBudgetView })
  errorBudget!: ErrorBudgetView;

  @ApiProperty({ type: [BurnRateView] })
  burnRates!: BurnRateView[];
}
