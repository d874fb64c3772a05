import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Inject,
  Module,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@taskinbox/database';
import { EVENT_STORE, type EventStore } from '@taskinbox/event-store';
import type { Logger } from 'pino';
import { PROCESS_LOGGER } from '@taskinbox/http';
import { MetricsModule, MetricsRegistry } from '@taskinbox/metrics';
import { SloAlertTimer } from './alerts/slo-alert.timer';
import { SloStatusService } from './slos/slo-status.service';
import { SloController } from './slos/slo.controller';
import { SloService } from './slos/slo.service';
import { registerSloMetrics } from './slos/slo.metrics';

export interface SloOptions {
  /** How often burn rates are evaluated; 0 turns the timer off (tests call evaluateAll). Default 60 s. */
  evaluateEveryMs?: number;
  /** SLO time (tests move it); default the system clock. */
  clock?: () => Date;
}

const SLO_OPTIONS = Symbol('taskinbox.slo-options');
const SLO_METRICS = Symbol('taskinbox.slo-metrics');

/** SLOs per task type: definitions (OpenSLO), status, burn-rate alerts as events. Needs ConfigModule, DatabaseModule, EventStoreModule, AuthModule. */
@Module({})
export class SloModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly timer: SloAlertTimer,
    @Inject(SLO_OPTIONS) private readonly options: Required<SloOptions>,
  ) {}

  static forRoot(options: SloOptions = {}): DynamicModule {
    const settings: Required<SloOptions> = {
      evaluateEveryMs: options.evaluateEveryMs ?? 60_000,
      clock: options.clock ?? (() => new Date()),
    };
    return {
      module: SloModule,
      // Global: urgency reads SLO time left without starting a second SloModule of its own.
      global: true,
      imports: [MetricsModule],
      controllers: [SloController],
      providers: [
        { provide: SLO_OPTIONS, useValue: settings },
        { provide: SloService, inject: [PG_POOL], useFactory: (pool: Pool) => new SloService(pool) },
        {
          provide: SloStatusService,
          inject: [PG_POOL],
          useFactory: (pool: Pool) => new SloStatusService(pool, settings.clock),
        },
        {
          provide: SloAlertTimer,
          inject: [SloService, SloStatusService, EVENT_STORE, PROCESS_LOGGER],
          useFactory: (slos: SloService, statuses: SloStatusService, store: EventStore, logger: Logger) =>
            new SloAlertTimer(slos, statuses, store, logger.child({ component: 'slo' })),
        },
        {
          // SLO status for the operator's Prometheus (made at start like every provider).
          provide: SLO_METRICS,
          inject: [MetricsRegistry, PG_POOL, SloService, SloStatusService],
          useFactory: (metrics: MetricsRegistry, pool: Pool, slos: SloService, statuses: SloStatusService) => {
            registerSloMetrics(metrics, pool, slos, statuses);
            return true;
          },
        },
      ],
      exports: [SloAlertTimer, SloStatusService, SloService],
    };
  }

  onApplicationBootstrap(): void {
    if (this.options.evaluateEveryMs > 0) this.timer.start(this.options.evaluateEveryMs);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.timer.stop();
  }
}
