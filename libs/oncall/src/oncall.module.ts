import { type DynamicModule, Module } from '@nestjs/common';
import type { Pool } from 'pg';
import { CONFIG, type Config } from '@taskinbox/config';
import { PG_POOL } from '@taskinbox/database';
import { CalendarFeedController } from './calendars/calendar-feed.controller';
import { CalendarFeeds } from './calendars/calendar-feed.service';
import { type Clock, ONCALL_CLOCK, systemClock } from './oncall.clock';
import { OrgPeople } from './people/org-people';
import { RotationController } from './rotations/rotation.controller';
import { RotationService } from './rotations/rotation.service';
import { ScheduleController } from './schedules/schedule.controller';
import { ScheduleService } from './schedules/schedule.service';

export interface OncallOptions {
  /** On-call time (tests move it); default the system clock. */
  clock?: Clock;
}

/**
 * On-call: rotations, schedules with rules and overrides, who is on call now and next, iCal
 * feeds. Needs ConfigModule, DatabaseModule and AuthModule.
 */
@Module({})
export class OncallModule {
  static forRoot(options: OncallOptions = {}): DynamicModule {
    return {
      module: OncallModule,
      controllers: [RotationController, ScheduleController, CalendarFeedController],
      providers: [
        { provide: ONCALL_CLOCK, useValue: options.clock ?? systemClock },
        { provide: OrgPeople, inject: [PG_POOL], useFactory: (pool: Pool) => new OrgPeople(pool) },
        {
          provide: RotationService,
          inject: [PG_POOL, OrgPeople, ONCALL_CLOCK],
          useFactory: (pool: Pool, people: OrgPeople, clock: Clock) => new RotationService(pool, people, clock),
        },
        {
          provide: ScheduleService,
          inject: [PG_POOL, RotationService, OrgPeople, ONCALL_CLOCK],
          useFactory: (pool: Pool, rotations: RotationService, people: OrgPeople, clock: Clock) =>
            new ScheduleService(pool, rotations, people, clock),
        },
        {
          provide: CalendarFeeds,
          inject: [PG_POOL, ScheduleService, OrgPeople, ONCALL_CLOCK, CONFIG],
          useFactory: (pool: Pool, schedules: ScheduleService, people: OrgPeople, clock: Clock, config: Config) =>
            new CalendarFeeds(pool, schedules, people, clock, config.publicUrl),
        },
      ],
      exports: [ScheduleService, OrgPeople, ONCALL_CLOCK],
    };
  }
}
