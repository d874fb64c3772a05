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
  IsUUID,
  Max,
  MaxDate,
  MaxLength,
  Min,
  MinDate,
  type ValidatorConstraintInterface,
  Validate,
  ValidatorConstraint,
} from 'class-validator';
import { publicEventTypes, sloEventTypes } from '@taskinbox/messaging';

const eventTypeFilters = [...Object.values(publicEventTypes), ...Object.values(sloEventTypes), 'task.*', 'slo.*'];

const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
// Set by the sender itself; a receiver must not be able to be told otherwise.
const reservedHeaders = /^(host|content-length|content-type|transfer-encoding|connection|webhook-.*)$/i;

/** Extra headers: at most 20, valid names that are not reserved, string values without line breaks. */
@ValidatorConstraint({ name: 'headerMap' })
class HeaderMap implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'object' || value === null) return false;
    const entries = Object.entries(value);
    return (
      entries.length <= 20 &&
      entries.every(
        ([name, text]) =>
          headerName.test(name) && !reservedHeaders.test(name) && typeof text === 'string' && text.length <= 2000 && !/[\r\n\0]/.test(text),
      )
    );
  }

  defaultMessage(): string {
    return 'headers must map at most 20 valid, non-reserved header names (not host, content-*, transfer-encoding, connection, webhook-*) to strings without line breaks';
  }
}

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

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, example: { authorization: 'Bearer …' }, description: 'Sent with every request; stored encrypted, never shown again.' })
  @IsOptional()
  @IsObject()
  @Validate(HeaderMap)
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

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, description: 'Replaces all extra headers ({} removes them).' })
  @IsOptional()
  @IsObject()
  @Validate(HeaderMap)
  headers?: Record<string, string>;
}

// JavaScript dates reach 271,821 BC; PostgreSQL's timestamps do not, and nothing was delivered before 1970.
const earliest = new Date(0);
const latest = new Date('9999-12-31T23:59:59Z');

export class RecoverDto {
  @ApiProperty({ example: '2026-01-01T00:00:00Z' })
  @Type(() => Date)
  @IsDate()
  @MinDate(earliest, { message: 'since must be 1970 or later' })
  @MaxDate(latest, { message: 'since must be before the year 10000' })
  since!: Date;

  @ApiPropertyOptional({ example: '2026-01-02T00:00:00Z', description: 'Exclusive upper bound; absent: up to now.' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  @MinDate(earliest, { message: 'until must be 1970 or later' })
  @MaxDate(latest, { message: 'until must be before the year 10000' })
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
  @IsUUID()
  deliveryId?: string;

  @ApiPropertyOptional({ default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
