export * from './query.module';
export { CalendarService, type CalendarUpdate, type CalendarView } from './calendar/calendar.service';
export type { InboxPage } from './inbox/inbox.service';
export type { TaskSummary } from './inbox/task-summary.view';
export { STATS_READING, StatsService, type StatsReading } from './stats/stats.service';
export { StatsRecomputeWorker, type RecomputeProgress } from './stats/stats-recompute.worker';
export { registerResolutionMetrics, resolutionBuckets } from './stats/resolution.metrics';
export type * from './stats/stats.view';
export {
  READ_MODEL_STALE_HEADER,
  READ_MODEL_WAIT_MS,
  ReadModelFreshness,
  type VersionTarget,
} from './tasks/read-model-freshness.service';
export { ReadModelListener } from './tasks/read-model.listener';
export type { TaskDetail, TaskTimeline, TimelineEntryView } from './tasks/task-timeline.view';
export * from './stream';
