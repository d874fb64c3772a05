import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsInt,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  Validate,
  type ValidationArguments,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';

@ValidatorConstraint({ name: 'isAfterDayStart' })
class IsAfterDayStart implements ValidatorConstraintInterface {
  validate(dayEnd: unknown, args: ValidationArguments): boolean {
    const { dayStart } = args.object as { dayStart?: unknown };
    // 'HH:MM' strings order like the times they name; a bad dayStart is reported on its own.
    return typeof dayStart !== 'string' || typeof dayEnd !== 'string' || dayEnd > dayStart;
  }
  defaultMessage(): string {
    return 'dayEnd must be later than dayStart';
  }
}

/** An organisation's working hours: business-hours stats count only these. */
export class CalendarDto {
  @ApiProperty({
    example: 'Europe/Berlin',
    description: 'IANA time zone (as PostgreSQL knows it); days are counted in it.',
  })
  @IsString()
  @MaxLength(64)
  @Matches(/^[A-Za-z][A-Za-z0-9_+\-/]*$/, { message: 'timeZone must be a time zone name such as Europe/Berlin' })
  timeZone!: string;

  @ApiProperty({ type: [Number], example: [1, 2, 3, 4, 5], description: 'ISO weekdays worked: Monday = 1 … Sunday = 7.' })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(7, { each: true })
  workingDays!: number[];

  @ApiProperty({ example: '09:00', description: 'Start of the working day, HH:MM local time.' })
  @IsString()
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'dayStart must be a time HH:MM, e.g. 09:00' })
  dayStart!: string;

  @ApiProperty({ example: '17:00', description: 'End of the working day, HH:MM local time (24:00 for midnight).' })
  @IsString()
  @Matches(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, { message: 'dayEnd must be a time HH:MM, e.g. 17:00' })
  @Validate(IsAfterDayStart)
  dayEnd!: string;
}

/** The calendar as GET and PUT answer it (CalendarView, calendar.service.ts). */
export class CalendarViewDto extends CalendarDto {
  @ApiProperty({ description: 'True while the organisation has not set its own calendar.' })
  isDefault!: boolean;
}

export class CalendarUpdateDto extends CalendarViewDto {
  @ApiProperty({
    description:
      'Resolved tasks whose business-hours duration is recomputed with the new calendar, in the background (GET /api/stats/recompute shows how far).',
  })
  recomputedTasks!: number;
}
