export { MetricsModule } from './metrics.module';
export { MetricsController } from './metrics.controller';
export { cachedFor, type ComputedFamily, type ComputedValue, MetricsRegistry } from './metrics.registry';
export { unmatchedRoute } from './http.metrics';
export { type JobCounts, queueStates, registerQueueDepth } from './queue.metrics';
