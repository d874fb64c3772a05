import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import type { EtaHook } from '../pure/eta';
import { Nested } from '@taskinbox/http';

const ops = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in'] as const;

export class EtaHookDto implements EtaHook {
  @ApiProperty({
    example: '/payload/tier',
    description: 'JSON Pointer into { payload, priority, customerRef, tags, taskType }.',
  })
  @IsString()
  @MaxLength(200)
  @Matches(/^(\/([^~/]|~[01])*)+$/, { message: 'feature must be a JSON Pointer, e.g. /payload/tier' })
  feature!: string;

  @ApiProperty({ enum: ops })
  @IsIn(ops)
  op!: EtaHook['op'];

  @ApiProperty({
    description: 'Compared with the feature (a list for `in`, a number for gt/gte/lt/lte).',
    oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'array', items: {} }],
    example: 'gold',
  })
  @IsDefined()
  value!: unknown;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, example: 0.5 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  multiply?: number;

  @ApiPropertyOptional({
    minimum: -100000,
    maximum: 100000,
    example: 60,
    description: 'Working minutes added after multiplying.',
  })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-100_000)
  @Max(100_000)
  addMinutes?: number;

  @ApiProperty({ example: 'Gold customers go first.', description: 'What the end user reads when the hook applies.' })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  sentence!: string;
}

export class TransparencySettingsDto {
  @ApiProperty({
    minimum: 1,
    maximum: 3650,
    example: 30,
    description: 'Days a status link keeps working after its task ends.',
  })
  @IsInt()
  @Min(1)
  @Max(3650)
  linkTtlDays!: number;

  @ApiProperty({ description: "Show the task type's resolution stats on status pages." })
  @IsBoolean()
  publicStats!: boolean;

  @ApiProperty({ type: [EtaHookDto], description: 'Applied to every estimate, in order.' })
  @IsArray()
  @ArrayMaxSize(50)
  @Nested(() => EtaHookDto, { each: true })
  etaHooks!: EtaHookDto[];
}
