import type { ModuleRef } from '@nestjs/core';
import type { Pool } from 'pg';
import { ScheduleService } from '@taskinbox/oncall';
import { EtaService } from './eta.service';

/** The EtaService of an app: when the app has on-call, the people on call are the people on duty. */
export function createEtaService(pool: Pool, modules: ModuleRef): EtaService {
  const onCall = (): ScheduleService | undefined => {
    try {
      return modules.get(ScheduleService, { strict: false });
    } catch {
      return undefined;
    }
  };
  return new EtaService(pool, async (orgId, scheduleId, at) => (await onCall()?.whoIsOnCall(orgId, scheduleId, at)) ?? []);
}
