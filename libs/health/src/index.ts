export { HealthModule } from './health.module';
export type { HealthCheckName } from './health.checks';
