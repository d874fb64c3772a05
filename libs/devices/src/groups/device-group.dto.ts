import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  Validate,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
  type ValidationArguments,
} from 'class-validator';
import { labelProblem } from '@taskinbox/device-protocol';
import { OneLine } from '../dto.checks';

@ValidatorConstraint({ name: 'labels' })
export class LabelMap implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return labelProblem(value) === undefined;
  }
  defaultMessage(args: ValidationArguments): string {
    return `${args.property} ${labelProblem(args.value)}`;
  }
}

export class DeviceGroupDto {
  @ApiProperty({ example: 'web servers', maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @OneLine('name')
  name!: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Static members.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true, message: 'each deviceIds entry must be a UUID' })
  deviceIds?: string[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { role: 'web' },
    description: 'Devices whose labels include all of these belong too; {} (the default) selects none.',
  })
  @IsOptional()
  @Validate(LabelMap)
  selector?: Record<string, string>;
}

export class DeviceGroupView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'order packing stations' }) name!: string;
  @ApiProperty({ type: [String], description: 'Static members.', example: ['5b1e9c3a-2d4f-4e6a-8b0c-1d2e3f4a5b6c'] })
  deviceIds!: string[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { role: 'packing' } })
  selector!: Record<string, string>;
  @ApiProperty({ type: [String], description: 'Enrolled devices that belong now: static members and selector matches.' })
  members!: string[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
