import { type DynamicModule, Inject, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { PeopleDirectory } from '@taskinbox/auth';
import { CONFIG, type Config } from '@taskinbox/config';
import { PG_POOL } from '@taskinbox/database';
import { CheckpointFollower, EVENT_STORE, type EventStore } from '@taskinbox/event-store';
import { PROCESS_LOGGER } from '@taskinbox/http';
import { IngestModule, TaskCommandHandler } from '@taskinbox/ingest';
import { CalendarFeedController } from './calendars/calendar-feed.controller';
import { CalendarFeeds } from './calendars/calendar-feed.service';
import { type Clock, ONCALL_CLOCK, systemClock } from './oncall.clock';
import { OrgPeople } from './people/org-people';
import { RotationController } from './rotations/rotation.controller';
import { RotationService } from './rotations/rotation.service';
import { RoutingRuleController } from './routing/routing-rule.controller';
import { RoutingRuleService } from './routing/routing-rule.service';
import { TaskRouter } from './routing/task.router';
import { ScheduleController } from './schedules/schedule.controller';
import { ScheduleService } from './schedules/schedule.service';

export interface OncallOptions {
  /** On-call time (tests move it); default the system clock. */
  clock?: Clock;
  /** How often due escalation steps are looked for; default every 15 s. */
  escalationPollMs?: number;
}

const OPTIONS = Symbol('taskinbox.oncall.options');
const LOGGER = Symbol('taskinbox.oncall.logger');
const ROUTING_FOLLOWER = Symbol('taskinbox.oncall.routing-follower');

/**
 * On-call: rotations, schedules with rules and overrides, who is on call now and next, iCal
 * feeds, and routing rules that assign new tasks to whoever is on call and escalate unclaimed
 * ones. Needs ConfigModule, DatabaseModule, EventStoreModule and AuthModule.
 */
@Module({})
export class OncallModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  private stopped = false;

  constructor(
    @Inject(OPTIONS) private readonly options: OncallOptions,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(ROUTING_FOLLOWER) private readonly follower: CheckpointFollower,
    private readonly router: TaskRouter,
  ) {}

  static forRoot(options: OncallOptions = {}): DynamicModule {
    return {
      module: OncallModule,
      imports: [IngestModule],
      controllers: [RotationController, ScheduleController, CalendarFeedController, RoutingRuleController],
      providers: [
        { provide: OPTIONS, useValue: options },
        { provide: ONCALL_CLOCK, useValue: options.clock ?? systemClock },
        {
          provide: LOGGER,
          inject: [PROCESS_LOGGER],
          useFactory: (logger: Logger) => logger.child({ component: 'oncall' }),
        },
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
        {
          provide: RoutingRuleService,
          inject: [PG_POOL, PeopleDirectory],
          useFactory: (pool: Pool, people: PeopleDirectory) => new RoutingRuleService(pool, people),
        },
        {
          provide: TaskRouter,
          inject: [PG_POOL, TaskCommandHandler, RoutingRuleService, ScheduleService, PeopleDirectory, ONCALL_CLOCK],
          useFactory: (
            pool: Pool,
            tasks: TaskCommandHandler,
            rules: RoutingRuleService,
            schedules: ScheduleService,
            people: PeopleDirectory,
            clock: Clock,
          ) => new TaskRouter(pool, tasks, rules, schedules, people, clock),
        },
        {
          provide: ROUTING_FOLLOWER,
          inject: [PG_POOL, EVENT_STORE, TaskRouter, LOGGER],
          useFactory: (pool: Pool, store: EventStore, router: TaskRouter, logger: Logger) =>
            new CheckpointFollower({
              pool,
              store,
              name: 'oncall-routing',
              handle: (events) => router.handle(events),
              onError: (error) => logger.error({ err: error }, 'routing failed; starting again'),
            }),
        },
      ],
      exports: [ScheduleService, OrgPeople, ONCALL_CLOCK],
    };
  }

  onApplicationBootstrap(): void {
    this.follower.start();
    const every = this.options.escalationPollMs ?? 15_000;
    const tick = async (): Promise<void> => {
      try {
        await this.router.escalateDue();
      } catch (error) {
        if (!this.stopped) this.logger.error({ err: error }, 'escalation failed; trying again');
      }
      if (!this.stopped) this.timer = setTimeout(() => (this.ticking = tick()), every);
    };
    this.timer = setTimeout(() => (this.ticking = tick()), every);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.all([this.ticking, this.follower.stop()]);
  }
}
