import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';

export const inboundEventTypes = ['task.info', 'task.cancel'] as const;
export type InboundEventType = (typeof inboundEventTypes)[number];

export class InboundEventDto {
  @ApiProperty({ enum: inboundEventTypes, description: 'task.cancel is for senders only.' })
  @IsIn(inboundEventTypes)
  type!: InboundEventType;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'taskId must be a UUID' })
  taskId!: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { trackingNumber: 'ZX81' }, description: 'Required for task.info.' })
  @ValidateIf((body: InboundEventDto) => body.type === 'task.info' || body.info !== undefined)
  @IsObject({ message: 'info must be an object (required for task.info)' })
  info?: Record<string, unknown>;

  @ApiPropertyOptional({ maxLength: 2000, description: 'task.info: a note with the information; task.cancel: why.' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  reason?: string;
}

export class InboundAcceptedView {
  @ApiProperty({ format: 'uuid' })
  taskId!: string;

  @ApiProperty({ description: "Revision of the task's stream after the event (0-based)." })
  version!: number;
}
