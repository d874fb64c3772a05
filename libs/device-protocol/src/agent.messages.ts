import type { JobSpec } from './job.actions';
import type { MisfirePolicy, MissedReason, OverlapPolicy } from './schedule.plan';

// What the server and an agent say to each other over HTTPS (under /api/devices/agent) and NATS.
// The server checks every field of what an agent sends; these types are the agreed shape.

/** A wake-up on the device's command subject: a hint to ask the server, never work itself. */
export type WakeMessage = { kind: 'run'; runId: string } | { kind: 'cancel'; runId: string } | { kind: 'sync' };

/** Facts an agent reports about its machine, and the labels its operator gave it. */
export interface DeviceFacts {
  hostname: string;
  os: string;
  kernel: string;
  arch: string;
  agentVersion: string;
}

export type RunTrigger =
  | { kind: 'now'; by: string; batchId?: string }
  | { kind: 'schedule'; scheduleId: string; scheduledFor: string };

/** A run the server hands a device: the job as it was when the run was requested. */
export interface RunOrder {
  runId: string;
  job: JobSpec;
  trigger: RunTrigger;
  requestedAt: string;
}

/** A schedule of a job on this device, cached by the agent so it fires while the server is away. */
export interface ScheduleOrder {
  scheduleId: string;
  cron: string;
  timezone: string;
  misfire: MisfirePolicy;
  startingDeadlineSeconds: number | null;
  overlap: OverlapPolicy;
  /** Slots before this (the schedule's creation or last change) are not the agent's to catch up. */
  activeFrom: string;
  job: JobSpec;
}

export interface AgentWork {
  runs: RunOrder[];
  schedules: ScheduleOrder[];
}

export interface AgentSession {
  accessToken: string;
  /** When the access token stops working; the agent signs a new challenge before then. */
  accessExpiresAt: string;
  nats: {
    url: string;
    /** User JWT for the device's nkey, at most 24 h. */
    jwt: string;
    expiresAt: string;
    commands: string;
    heartbeat: string;
  };
  heartbeatSeconds: number;
  pollSeconds: number;
}

export interface EnrolmentResult extends AgentSession {
  deviceId: string;
  orgId: string;
  name: string;
}

/** The start of a run; a scheduled run the server has not heard of carries its slot. */
export interface RunStartReport {
  startedAt: string;
  schedule?: { scheduleId: string; scheduledFor: string; jobVersion: number };
}

export interface ActionReport {
  /** Exit code (128 + signal when killed), HTTP status, or null when nothing ran. */
  code: number | null;
  ok: boolean;
  output: string;
  error: string;
  truncated: boolean;
  durationMs: number;
  finishedAt: string;
}

export interface RunFinishReport {
  finishedAt: string;
  /** Why the run failed as a whole (the agent restarted during it, the run-as user is refused…). */
  error?: string;
}

export interface RunMissedReport {
  scheduleId: string;
  scheduledFor: string;
  jobVersion: number;
  reason: MissedReason;
  /** Older missed slots of the same catch-up that were not recorded one by one. */
  earlierNotRecorded?: number;
}

export interface RunCancelledReport {
  reason: string;
  cancelledAt: string;
}

/** The state of a run as the server knows it: an agent asks to learn of a cancellation. */
export interface RunStatusView {
  runId: string;
  status: RunStatus;
}

export type RunStatus = 'requested' | 'dispatched' | 'running' | 'succeeded' | 'failed' | 'missed' | 'cancelled';
export const runStatuses: readonly RunStatus[] = [
  'requested',
  'dispatched',
  'running',
  'succeeded',
  'failed',
  'missed',
  'cancelled',
];
export const isFinished = (status: RunStatus): boolean =>
  status === 'succeeded' || status === 'failed' || status === 'missed' || status === 'cancelled';

/** What an agent signs to prove it holds its nkey: the server's nonce, or the enrolment token. */
export const challengeText = (nonce: string): string => `taskinbox-device-session:${nonce}`;
export const enrolmentText = (token: string): string => `taskinbox-device-enrolment:${token}`;
