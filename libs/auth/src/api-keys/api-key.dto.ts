import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayNotEmpty, IsArray, IsIn, IsISO8601, IsOptional, IsString, MaxLength, MinLength, ValidateBy } from 'class-validator';
import { type Scope, scopes } from '../principal';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'billing-service' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiProperty({ enum: scopes, isArray: true, example: ['tasks:write', 'tasks:read'] })
  @IsArray()
  @ArrayNotEmpty()
  @IsIn(scopes, { each: true })
  scopes!: Scope[];

  @ApiPropertyOptional({ format: 'date-time', description: 'When the key stops working; omit for a key that works until revoked.' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @ValidateBy({
    name: 'inTheFuture',
    validator: { validate: (value) => Date.parse(String(value)) > Date.now(), defaultMessage: () => 'expiresAt must be in the future' },
  })
  expiresAt?: string;
}

export class ApiKeyView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'billing-service' })
  name!: string;

  @ApiProperty({ description: 'The public start of the key, to recognise it.', example: 'tib_AbCdEfGhIjKl' })
  prefix!: string;

  @ApiProperty({ enum: scopes, isArray: true })
  scopes!: Scope[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'To the minute.' })
  lastUsedAt!: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  expiresAt!: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  revokedAt!: string | null;
}

export class IssuedApiKeyView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: scopes, isArray: true })
  scopes!: Scope[];

  @ApiProperty({ example: 'tib_AbCdEfGhIjKl' })
  prefix!: string;

  @ApiProperty({ description: 'The whole key: shown this once, stored only as a hash.' })
  key!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  expiresAt!: string | null;
}
