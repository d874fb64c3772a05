import type { JobSpec, MissedReason, RunTrigger } from '@taskinbox/device-protocol';

// Past-tense facts about one run of a job on one device (stream `run-<id>`). Metadata carries the
// organisation and the actor (`user:<id>`, `device:<id>`).

export type RunOutcome = 'succeeded' | 'failed';

export type RunEvent =
  | {
      type: 'RunRequested';
      data: {
        runId: string;
        orgId: string;
        deviceId: string;
        job: JobSpec;
        openTaskOnFailure: boolean;
        trigger: RunTrigger;
        requestedAt: string;
      };
    }
  /** The device fetched the run: it has the job now. */
  | { type: 'RunDispatched'; data: { runId: string; deviceId: string; dispatchedAt: string } }
  /** `startedAt` by the device's clock, `receivedAt` by the server's. */
  | { type: 'RunStarted'; data: { runId: string; deviceId: string; startedAt: string; receivedAt: string } }
  | {
      type: 'ActionFinished';
      data: {
        runId: string;
        index: number;
        actionType: string;
        code: number | null;
        ok: boolean;
        output: string;
        error: string;
        truncated: boolean;
        durationMs: number;
        finishedAt: string;
      };
    }
  | {
      type: 'RunFinished';
      data: { runId: string; outcome: RunOutcome; error?: string; finishedAt: string; receivedAt: string };
    }
  /** A scheduled slot that did not run; the first and only event of its stream. */
  | {
      type: 'RunMissed';
      data: {
        runId: string;
        orgId: string;
        deviceId: string;
        jobId: string;
        jobVersion: number;
        scheduleId: string;
        scheduledFor: string;
        reason: MissedReason;
        earlierNotRecorded?: number;
        recordedAt: string;
      };
    }
  | { type: 'RunCancelled'; data: { runId: string; by: string; reason: string; cancelledAt: string } }
  /** The inbox task a failed run opened for the team. */
  | { type: 'RunTaskOpened'; data: { runId: string; taskId: string; openedAt: string } };

export type RunEventType = RunEvent['type'];
export const runEventTypes: readonly RunEventType[] = [
  'RunRequested',
  'RunDispatched',
  'RunStarted',
  'ActionFinished',
  'RunFinished',
  'RunMissed',
  'RunCancelled',
  'RunTaskOpened',
];
