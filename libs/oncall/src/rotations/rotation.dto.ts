import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { ClockTime, OneLine, TimeZone } from '../oncall.checks';

export const shiftUnits = ['hours', 'days', 'weeks'] as const;

export class RotationDto {
  @ApiProperty({ example: 'first line', maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @OneLine('name')
  name!: string;

  @ApiProperty({ example: 'Europe/Berlin', description: 'IANA time zone of the start and the hand-off time.' })
  @TimeZone('timeZone')
  timeZone!: string;

  @ApiProperty({ example: '2026-03-02', description: 'Day of the first shift (YYYY-MM-DD) in timeZone.' })
  @IsString()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: 'startDate must be a date YYYY-MM-DD' })
  startDate!: string;

  @ApiProperty({ example: '09:00', description: 'Wall-clock time (HH:mm) in timeZone at which shifts hand over.' })
  @IsString()
  @ClockTime('handoffTime')
  handoffTime!: string;

  @ApiProperty({
    enum: shiftUnits,
    description: 'Day and week shifts hand over at the same wall-clock time across DST.',
  })
  @IsIn(shiftUnits)
  shiftUnit!: (typeof shiftUnits)[number];

  @ApiProperty({ example: 1, minimum: 1, maximum: 1000 })
  @IsInt()
  @Min(1)
  @Max(1000)
  shiftLength!: number;

  @ApiProperty({ type: [String], format: 'uuid', description: 'People in turn order; members of the organisation.' })
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique({ message: 'people must not name anyone twice' })
  @IsUUID('all', { each: true, message: 'each people entry must be a user id (UUID)' })
  people!: string[];
}

export class ShiftView {
  @ApiProperty({ format: 'uuid' }) person!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-07T08:00:00.000Z' }) start!: string;
  @ApiProperty({ format: 'date-time', example: '2026-12-14T08:00:00.000Z' }) end!: string;
}

export class RotationView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'first line' }) name!: string;
  @ApiProperty({ example: 'Europe/Berlin' }) timeZone!: string;
  @ApiProperty({ example: '2026-03-02' }) startDate!: string;
  @ApiProperty({ example: '09:00' }) handoffTime!: string;
  @ApiProperty({ enum: shiftUnits, example: 'weeks' }) shiftUnit!: string;
  @ApiProperty({ example: 1 }) shiftLength!: number;
  @ApiProperty({ type: [String], format: 'uuid' }) people!: string[];
  @ApiProperty({ type: ShiftView, nullable: true, description: 'The shift going on now; null without people.' })
  current!: ShiftView | null;
  @ApiProperty({ type: ShiftView, nullable: true }) next!: ShiftView | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
