import type { HealthCheck, HealthCheckName } from './health.checks';
import { withTimeout } from './health.checks';

export interface CheckResult {
  status: 'ok' | 'failed';
  detail: string;
}

export interface Readiness {
  status: 'ok' | 'unavailable';
  checks: Partial<Record<HealthCheckName, CheckResult>>;
}

/** Runs this service's readiness checks side by side, each against the same deadline. */
export class HealthService {
  constructor(
    private readonly checks: Partial<Record<HealthCheckName, HealthCheck>>,
    private readonly timeoutMs: number,
  ) {}

  async readiness(): Promise<Readiness> {
    const entries = await Promise.all(
      Object.entries(this.checks).map(async ([name, check]): Promise<[string, CheckResult]> => {
        try {
          return [name, { status: 'ok', detail: await withTimeout(check(), this.timeoutMs) }];
        } catch (error) {
          return [name, { status: 'failed', detail: error instanceof Error ? error.message : String(error) }];
        }
      }),
    );
    const checks = Object.fromEntries(entries) as Readiness['checks'];
    const failed = entries.some(([, result]) => result.status === 'failed');
    return { status: failed ? 'unavailable' : 'ok', checks };
  }
}
