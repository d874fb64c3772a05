import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { OneLine } from '../dto.checks';
import { DeviceFactsDto } from '../agent/agent.dto';

export class RenameDeviceDto {
  @ApiProperty({ example: 'web-1 (rack 4)', maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @OneLine('name')
  name!: string;
}

export class DeviceSummary {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'Enrolled (false once unenrolled: kept for its history).' }) enrolled!: boolean;
  @ApiProperty({ description: 'Connected to NATS and heard within three heartbeats.' }) online!: boolean;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) lastSeenAt!: string | null;
  @ApiProperty({ type: DeviceFactsDto }) facts!: DeviceFactsDto;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) labels!: Record<string, string>;
  @ApiProperty({ type: [String], description: 'Device groups it is in now.' }) groupIds!: string[];
  @ApiProperty({ description: 'Its nkey: its NATS user.' }) publicKey!: string;
  @ApiProperty({ format: 'date-time' }) enrolledAt!: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) unenrolledAt!: string | null;
}
