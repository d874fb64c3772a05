import { Module } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@taskinbox/database';
import { MetricsModule, MetricsRegistry } from '@taskinbox/metrics';
import { CalendarController } from './calendar/calendar.controller';
import { CalendarService } from './calendar/calendar.service';
import { InboxController } from './inbox/inbox.controller';
import { InboxService } from './inbox/inbox.service';
import { StatsController } from './stats/stats.controller';
import { StatsRecomputeWorker } from './stats/stats-recompute.worker';
import { StatsService } from './stats/stats.service';
import { registerResolutionMetrics } from './stats/resolution.metrics';
import { ReadModelFreshness } from './tasks/read-model-freshness.service';
import { ReadModelListener } from './tasks/read-model.listener';
import { TaskTimelineController } from './tasks/task-timeline.controller';
import { TaskTimelineService } from './tasks/task-timeline.service';

/**
 * The read side over HTTP: the shared inbox, task timelines, resolution stats and the working-hours
 * calendar. Needs ReadModelsModule, ConfigModule, DatabaseModule and AuthModule in the application.
 */
const RESOLUTION_METRICS = Symbol('taskinbox.query.resolution-metrics');

@Module({
  imports: [MetricsModule],
  controllers: [InboxController, TaskTimelineController, StatsController, CalendarController],
  providers: [
    // Resolution stats for the operator's Prometheus (made at start like every provider).
    {
      provide: RESOLUTION_METRICS,
      inject: [MetricsRegistry, PG_POOL],
      useFactory: (metrics: MetricsRegistry, pool: Pool) => {
        registerResolutionMetrics(metrics, pool);
        return true;
      },
    },
    InboxService,
    TaskTimelineService,
    ReadModelListener,
    ReadModelFreshness,
    StatsService,
    StatsRecomputeWorker,
    CalendarService,
  ],
  exports: [ReadModelListener, ReadModelFreshness],
})
export class QueryModule {}
