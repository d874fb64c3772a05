import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { OneLine } from '../dto.checks';

export class EnrolmentTokenDto {
  @ApiPropertyOptional({ example: 'rack 4 servers', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @OneLine('name')
  name?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Device groups the enrolled device joins.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true, message: 'each groupIds entry must be a UUID' })
  groupIds?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 1440, default: 60, description: 'The token works once, within this time.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1440)
  expiresInMinutes?: number;
}

export class EnrolmentTokenView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'order packing stations' }) name!: string;
  @ApiProperty({ type: [String], example: ['7d3c1b2a-9e8f-4a6b-8c5d-0e1f2a3b4c5d'] }) groupIds!: string[];
  @ApiProperty({ format: 'date-time', example: '2026-12-14T09:00:00.000Z' }) expiresAt!: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) usedAt!: string | null;
  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String }) deviceId!: string | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) revokedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class EnrolmentTokenCreatedView extends EnrolmentTokenView {
  @ApiProperty({ description: 'The token (tie_…): shown this once.' }) token!: string;
}
