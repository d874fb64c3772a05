import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Inject,
  Module,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Pool } from 'pg';
import { CONFIG, type Config } from '@taskinbox/config';
import { ChannelListener, PG_POOL } from '@taskinbox/database';
import type { Logger } from 'pino';
import { PROCESS_LOGGER } from '@taskinbox/http';
import { readModelsUpdatedChannel } from '@taskinbox/read-models';
import { SloStatusService } from '@taskinbox/slo';
import { createEtaService, TransparencySettingsService } from '@taskinbox/transparency';
import { UrgencyRuleController } from './rules/urgency-rule.controller';
import { UrgencyRuleStore } from './rules/urgency-rule.store';
import { UrgencyEvaluator } from './urgency.evaluator';

export interface UrgencyOptions {
  /** How often every open task is evaluated again; 0 turns the timer off. Default 60 s. */
  evaluateEveryMs?: number;
  /** Re-evaluate changed tasks after each projector batch. Default true. */
  onChange?: boolean;
}

const URGENCY_OPTIONS = Symbol('taskinbox.urgency-options');

/**
 * Urgency rules and their evaluation onto the inbox. Needs ConfigModule, DatabaseModule,
 * AuthModule and SloModule (SLO time left); ETAs as libs/transparency makes them (on-call if the app has it).
 */
@Module({})
export class UrgencyModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  private listener?: ChannelListener;

  constructor(
    private readonly evaluator: UrgencyEvaluator,
    @Inject(URGENCY_OPTIONS) private readonly options: Required<UrgencyOptions>,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  static forRoot(options: UrgencyOptions = {}): DynamicModule {
    const settings: Required<UrgencyOptions> = {
      evaluateEveryMs: options.evaluateEveryMs ?? 60_000,
      onChange: options.onChange ?? true,
    };
    return {
      module: UrgencyModule,
      controllers: [UrgencyRuleController],
      providers: [
        { provide: URGENCY_OPTIONS, useValue: settings },
        { provide: UrgencyRuleStore, inject: [PG_POOL], useFactory: (pool: Pool) => new UrgencyRuleStore(pool) },
        {
          provide: UrgencyEvaluator,
          inject: [PG_POOL, UrgencyRuleStore, SloStatusService, PROCESS_LOGGER, ModuleRef],
          useFactory: (pool: Pool, rules: UrgencyRuleStore, slos: SloStatusService, logger: Logger, modules: ModuleRef) =>
            new UrgencyEvaluator(
              pool,
              rules,
              slos,
              createEtaService(pool, modules),
              new TransparencySettingsService(pool),
              logger.child({ component: 'urgency' }),
            ),
        },
      ],
      exports: [UrgencyEvaluator],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.evaluateEveryMs > 0) {
      this.timer = setInterval(() => this.evaluator.request('all'), this.options.evaluateEveryMs);
      this.timer.unref();
    }
    if (this.options.onChange) {
      this.listener = new ChannelListener({
        databaseUrl: this.config.databaseUrl,
        channel: readModelsUpdatedChannel,
        applicationName: 'taskinbox-urgency',
        warn: () => undefined,
      });
      this.unsubscribe = await this.listener.subscribe({
        notice: () => this.evaluator.request('changed'),
        gap: () => this.evaluator.request('all'),
      });
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.unsubscribe?.();
    await this.listener?.close();
    await this.evaluator.idle();
  }
}
