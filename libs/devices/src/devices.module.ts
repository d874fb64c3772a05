import {
  type DynamicModule,
  Inject,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { CONFIG, type Config } from '@taskinbox/config';
import { PG_POOL } from '@taskinbox/database';
import { EVENT_STORE, type EventStore } from '@taskinbox/event-store';
import { PROCESS_LOGGER } from '@taskinbox/http';
import { IngestModule, TaskCommandHandler } from '@taskinbox/ingest';
import { AccountPublisher, AccountRevocations, type Issuer, readIssuer } from '@taskinbox/nats-accounts';
import { AgentFilesController } from './agent/agent-files.controller';
import { AgentController, AgentEnrolmentController } from './agent/agent.controller';
import { AgentGuard } from './agent/agent.guard';
import { AgentSessions } from './agent/agent-session.service';
import { deviceStore, type DeviceStore, runStore, type RunStore } from './aggregates';
import { type Clock, DEVICES_CLOCK, systemClock } from './devices.clock';
import { DEVICE_STORE, NATS_ISSUER, RUN_STORE } from './devices.tokens';
import { DeviceController } from './devices/device.controller';
import { DeviceService } from './devices/device.service';
import { Enrolment } from './enrolment/enrolment.service';
import { DeviceGroupController } from './groups/device-group.controller';
import { DeviceGroupService } from './groups/device-group.service';
import { JobController } from './jobs/job.controller';
import { JobService } from './jobs/job.service';
import { DevicesStreamController } from './live/devices-stream.controller';
import { DevicesLive } from './live/devices.live';
import { DeviceMessaging } from './nats/device.messaging';
import { DevicePresence } from './presence/device.presence';
import { DevicesProjector } from './projection/devices.projector';
import { RunRetention } from './retention/run.retention';
import { RunCommands } from './runs/run.commands';
import { RunController } from './runs/run.controller';
import { RunQueries } from './runs/run.queries';
import { RunTaskOpener } from './runs/run-task.opener';

export interface DevicesOptions {
  /** The devices' time (tests move it); default the system clock. */
  clock?: Clock;
  /** How often finished runs past their retention are deleted; default every 10 minutes. */
  retentionIntervalMs?: number;
}

const LOGGER = Symbol('taskinbox.devices.logger');
const OPTIONS = Symbol('taskinbox.devices.options');

/** Wakes every device whose schedules may have changed, so it fetches them again. */
const resync = (messaging: DeviceMessaging) => async (_orgId: string, deviceIds: string[]) => {
  await Promise.all(deviceIds.map((deviceId) => messaging.wake(deviceId, { kind: 'sync' })));
};

/**
 * Devices: enrolment, device groups, jobs and schedules, runs (event-sourced), presence, the
 * agents' API and the read models of devices and runs. Needs ConfigModule, DatabaseModule,
 * EventStoreModule and AuthModule, and NATS_ISSUER (the issuer file of `nats:init`).
 */
@Module({})
export class DevicesModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(OPTIONS) private readonly options: DevicesOptions,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly projector: DevicesProjector,
    private readonly live: DevicesLive,
    private readonly messaging: DeviceMessaging,
    private readonly presence: DevicePresence,
    private readonly retention: RunRetention,
    private readonly revocations: AccountRevocations,
    private readonly runs: RunCommands,
  ) {}

  static forRoot(options: DevicesOptions = {}): DynamicModule {
    return {
      module: DevicesModule,
      imports: [IngestModule],
      controllers: [
        AgentEnrolmentController,
        AgentFilesController,
        AgentController,
        DevicesStreamController,
        DeviceController,
        DeviceGroupController,
        JobController,
        RunController,
      ],
      providers: [
        { provide: OPTIONS, useValue: options },
        { provide: DEVICES_CLOCK, useValue: options.clock ?? systemClock },
        {
          provide: LOGGER,
          inject: [PROCESS_LOGGER],
          useFactory: (logger: Logger) => logger.child({ component: 'devices' }),
        },
        {
          provide: NATS_ISSUER,
          inject: [CONFIG],
          useFactory: (config: Config): Issuer => readIssuer(config.nats.issuerFile, 'devices'),
        },
        { provide: RUN_STORE, inject: [EVENT_STORE], useFactory: (store: EventStore) => runStore(store) },
        { provide: DEVICE_STORE, inject: [EVENT_STORE], useFactory: (store: EventStore) => deviceStore(store) },
        {
          provide: DeviceMessaging,
          inject: [CONFIG, NATS_ISSUER, LOGGER],
          useFactory: (config: Config, issuer: Issuer, logger: Logger) => new DeviceMessaging(config, issuer, logger),
        },
        {
          provide: DevicePresence,
          inject: [PG_POOL, CONFIG],
          useFactory: (pool: Pool, config: Config) => new DevicePresence(pool, config.devices.heartbeatSeconds),
        },
        {
          provide: AccountRevocations,
          inject: [PG_POOL, NATS_ISSUER, CONFIG],
          useFactory: (pool: Pool, issuer: Issuer, config: Config) =>
            new AccountRevocations(pool, new AccountPublisher(issuer, config.nats.url)),
        },
        {
          provide: AgentSessions,
          inject: [PG_POOL, CONFIG, NATS_ISSUER],
          useFactory: (pool: Pool, config: Config, issuer: Issuer) => new AgentSessions(pool, config, issuer),
        },
        AgentGuard,
        {
          provide: Enrolment,
          inject: [PG_POOL, DEVICE_STORE, AgentSessions, DEVICES_CLOCK],
          useFactory: (pool: Pool, devices: DeviceStore, sessions: AgentSessions, clock: Clock) =>
            new Enrolment(pool, devices, sessions, clock),
        },
        {
          provide: JobService,
          inject: [PG_POOL, DEVICES_CLOCK, DeviceMessaging],
          useFactory: (pool: Pool, clock: Clock, messaging: DeviceMessaging) =>
            new JobService(pool, clock, resync(messaging)),
        },
        {
          provide: DeviceGroupService,
          inject: [PG_POOL, DeviceMessaging],
          useFactory: (pool: Pool, messaging: DeviceMessaging) => new DeviceGroupService(pool, resync(messaging)),
        },
        {
          provide: RunTaskOpener,
          inject: [PG_POOL, TaskCommandHandler, RUN_STORE],
          useFactory: (pool: Pool, tasks: TaskCommandHandler, runs: RunStore) => new RunTaskOpener(pool, tasks, runs),
        },
        {
          provide: RunCommands,
          inject: [RUN_STORE, PG_POOL, JobService, DeviceMessaging, RunTaskOpener, DEVICES_CLOCK],
          useFactory: (
            runs: RunStore,
            pool: Pool,
            jobs: JobService,
            messaging: DeviceMessaging,
            opener: RunTaskOpener,
            clock: Clock,
          ) => new RunCommands(runs, pool, jobs, messaging, opener, clock),
        },
        { provide: RunQueries, inject: [PG_POOL], useFactory: (pool: Pool) => new RunQueries(pool) },
        {
          provide: DeviceService,
          inject: [PG_POOL, DEVICE_STORE, RunCommands, DevicePresence, AccountRevocations, DEVICES_CLOCK, LOGGER],
          useFactory: (
            pool: Pool,
            devices: DeviceStore,
            runs: RunCommands,
            presence: DevicePresence,
            revocations: AccountRevocations,
            clock: Clock,
            logger: Logger,
          ) => new DeviceService(pool, devices, runs, presence, revocations, clock, logger),
        },
        {
          provide: DevicesLive,
          inject: [PG_POOL, LOGGER],
          useFactory: (pool: Pool, logger: Logger) => new DevicesLive(pool, logger),
        },
        {
          provide: DevicesProjector,
          inject: [PG_POOL, EVENT_STORE, LOGGER],
          useFactory: (pool: Pool, store: EventStore, logger: Logger) => new DevicesProjector(pool, store, logger),
        },
        {
          provide: RunRetention,
          inject: [PG_POOL, EVENT_STORE, DEVICES_CLOCK],
          useFactory: (pool: Pool, store: EventStore, clock: Clock) => new RunRetention(pool, store, clock),
        },
      ],
      exports: [RunRetention, DEVICES_CLOCK],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    this.projector.start();
    await this.live.start();
    this.keepTrying('device heartbeats', () => this.messaging.listenHeartbeats((id) => this.presence.heartbeat(id)));
    this.keepTrying('device connections', () => this.messaging.listenClients((event) => this.presence.client(event)));
    this.keepTrying('device revocations', async () => {
      if (await this.revocations.sync('DEVICES', { onlyIfMissing: true }))
        this.logger.info('pushed recorded device revocations to NATS');
    });
    this.every(this.config.devices.heartbeatSeconds * 1000, () => this.presence.sweep());
    this.every(this.options.retentionIntervalMs ?? 10 * 60_000, async () => {
      const deleted = await this.retention.sweep();
      if (deleted > 0) this.logger.info({ deleted }, 'runs past their retention deleted');
      await this.runs.dropOrphanedQueues('housekeeping');
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([this.projector.stop(), this.live.close(), this.messaging.close()]);
  }

  /** Runs `work` until it succeeds once, every 2 s (NATS may come up after us). */
  private keepTrying(what: string, work: () => Promise<void>): void {
    const attempt = (): void => {
      if (this.stopped) return;
      work().catch((error: unknown) => {
        this.logger.warn({ err: error }, `${what}: not yet; trying again`);
        this.later(attempt, 2000);
      });
    };
    attempt();
  }

  private every(ms: number, work: () => Promise<void>): void {
    const tick = (): void => {
      if (this.stopped) return;
      work()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'devices housekeeping failed'))
        .finally(() => this.later(tick, ms));
    };
    this.later(tick, ms);
  }

  private later(work: () => void, ms: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      work();
    }, ms);
    this.timers.add(timer);
  }
}
