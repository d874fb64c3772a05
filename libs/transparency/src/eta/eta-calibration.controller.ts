import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { Allow, CurrentPrincipal, everyone, type Principal } from '@taskinbox/auth';
import { EtaService } from './eta.service';

export class CalibrationQuery {
  @ApiPropertyOptional({ example: 'refund.request' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._-]{0,63}$/, { message: 'taskType must be 1-64 lower-case letters, digits, dots, dashes or underscores' })
  taskType?: string;
}

export class CalibrationView {
  @ApiProperty({ example: 'refund.request' }) taskType!: string;
  @ApiProperty({ description: 'Completed tasks (last 180 days) whose end user was shown an estimate.', example: 240 })
  tasks!: number;
  @ApiProperty({ description: 'Of them, resolved by the latest time (P90) first shown.', example: 216 })
  withinEstimate!: number;
  @ApiProperty({ description: 'withinEstimate as a percent of tasks.', example: 90 }) withinPercent!: number;
}

@ApiTags('transparency')
@ApiBearerAuth()
@Controller('api/transparency/calibration')
export class EtaCalibrationController {
  constructor(private readonly eta: EtaService) {}

  @ApiOperation({ summary: 'How well the estimates end users were shown held, per task type.' })
  @ApiOkResponse({ type: [CalibrationView] })
  @Allow({ roles: everyone })
  @Get()
  async calibration(@CurrentPrincipal() principal: Principal, @Query() query: CalibrationQuery): Promise<CalibrationView[]> {
    const rows = await this.eta.calibration(principal.orgId, query.taskType ?? null);
    return rows.map((row) => ({ ...row, withinPercent: Math.round((100 * row.withinEstimate) / row.tasks) }));
  }
}
