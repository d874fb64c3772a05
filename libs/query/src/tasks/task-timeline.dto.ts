import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class TaskTimelineQueryDto {
  @ApiPropertyOptional({
    example: 3,
    description:
      'Read-your-writes: the version a command returned. The answer waits, up to 2 s, until the task reflects it; otherwise it carries X-Read-Model-Stale: true.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(2_147_483_647)
  minVersion?: number;
}
