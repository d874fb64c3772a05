import { v5 as uuidv5 } from 'uuid';

// A scheduled slot's run id is derived, not drawn: the agent that fires the slot offline and the
// server that records it later agree on it, so a result uploaded twice is recorded once.
const namespace = 'a1b7f1d4-6c2e-5b8a-9f3d-2e4c6a8b0d1f';

export function scheduledRunId(scheduleId: string, deviceId: string, scheduledFor: Date): string {
  return uuidv5(`${scheduleId}/${deviceId}/${scheduledFor.toISOString()}`, namespace);
}

/** Event ids derived from the run and what happened, so a retried report appends nothing new. */
export function runEventId(runId: string, fact: string): string {
  return uuidv5(`${runId}/${fact}`, namespace);
}
