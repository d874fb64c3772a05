import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { publicEventTypes } from '@taskinbox/messaging';

const eventTypeFilters = [...Object.values(publicEventTypes), 'task.*'];

export class CreateEndpointDto {
  @ApiProperty({ example: 'https://example.com/hooks/taskinbox' })
  @IsString()
  @MaxLength(2000)
  url!: string;

  @ApiPropertyOptional({ example: 'billing sync' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ enum: eventTypeFilters, isArray: true, description: 'Empty or absent: every event.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsIn(eventTypeFilters, { each: true })
  eventTypes?: string[];

  @ApiPropertyOptional({ example: ['refund.approval'], description: 'Empty or absent: every task type.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  taskTypes?: string[];

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ default: true, description: "False: a task's events may arrive out of order (no waiting)." })
  @IsOptional()
  @IsBoolean()
  ordered?: boolean;

  @ApiPropertyOptional({ example: { authorization: 'Bearer …' }, description: 'Sent with every request; stored encrypted, never shown again.' })
  @IsOptional()
  @IsObject()
  headers?: Record<string, string>;
}

export class UpdateEndpointDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  url?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional({ enum: eventTypeFilters, isArray: true })
  @IsOptional()
  @IsArray()
  @IsIn(eventTypeFilters, { each: true })
  eventTypes?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  taskTypes?: string[];

  @ApiPropertyOptional({ description: 'True re-enables a disabled endpoint.' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  ordered?: boolean;

  @ApiPropertyOptional({ description: 'Replaces all extra headers ({} removes them).' })
  @IsOptional()
  @IsObject()
  headers?: Record<string, string>;
}

export class RecoverDto {
  @ApiProperty({ example: '2026-01-01T00:00:00Z' })
  @Type(() => Date)
  @IsDate()
  since!: Date;

  @ApiPropertyOptional({ example: '2026-01-02T00:00:00Z', description: 'Exclusive upper bound; absent: up to now.' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  until?: Date;
}

export class ListNoticesQuery {
  @ApiPropertyOptional({ default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class ListDeliveriesQuery {
  @ApiPropertyOptional({ enum: ['pending', 'retrying', 'delivered', 'failed'] })
  @IsOptional()
  @IsIn(['pending', 'retrying', 'delivered', 'failed'])
  status?: 'pending' | 'retrying' | 'delivered' | 'failed';

  @ApiPropertyOptional({ default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class ListAttemptsQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[0-9a-f-]{36}$/)
  deliveryId?: string;

  @ApiPropertyOptional({ default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
