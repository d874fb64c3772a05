// The shapes of /api/devices, /api/device-groups, /api/jobs and /api/runs (libs/devices/src/**/*.dto.ts).

export interface DeviceFacts {
  hostname: string;
  os: string;
  kernel: string;
  arch: string;
  agentVersion: string;
}

export interface Device {
  id: string;
  name: string;
  enrolled: boolean;
  online: boolean;
  lastSeenAt: string | null;
  facts: DeviceFacts;
  labels: Record<string, string>;
  groupIds: string[];
  publicKey: string;
  enrolledAt: string;
  unenrolledAt: string | null;
}

export interface DeviceGroup {
  id: string;
  name: string;
  deviceIds: string[];
  selector: Record<string, string>;
  /** Enrolled devices that belong now: static members and selector matches. */
  members: string[];
  createdAt: string;
  updatedAt: string;
}

export interface EnrolmentTokenCreated {
  id: string;
  name: string;
  token: string;
  expiresAt: string;
}

export type ActionType = 'HTTP_REQUEST' | 'SCRIPT' | 'COMMAND' | 'READ_FILE';

export interface JobAction {
  type: ActionType;
  timeoutSeconds?: number;
  method?: string;
  url?: string;
  body?: string;
  interpreter?: string;
  content?: string;
  command?: string;
  arguments?: string[];
  path?: string;
  maxBytes?: number;
}

export type MisfirePolicy = 'skip' | 'run_once' | 'run_all';
export type OverlapPolicy = 'allow' | 'forbid' | 'replace';

export interface Schedule {
  id: string;
  jobId: string;
  cron: string;
  timezone: string;
  deviceId: string | null;
  groupId: string | null;
  misfire: MisfirePolicy;
  startingDeadlineSeconds: number | null;
  overlap: OverlapPolicy;
  enabled: boolean;
  nextRuns: string[];
}

export interface Job {
  id: string;
  name: string;
  description: string | null;
  version: number;
  actions: JobAction[];
  onFailure: 'stop' | 'continue';
  runAs: string | null;
  outputMaxBytes: number;
  openTaskOnFailure: boolean;
  retentionDays: number;
  retentionCount: number;
  schedules: Schedule[];
  createdAt: string;
  updatedAt: string;
}

export type RunStatus = 'requested' | 'dispatched' | 'running' | 'succeeded' | 'failed' | 'missed' | 'cancelled';

export interface RunSummary {
  id: string;
  jobId: string;
  jobVersion: number;
  jobName: string | null;
  deviceId: string;
  deviceName: string | null;
  trigger: 'now' | 'schedule';
  batchId: string | null;
  scheduleId: string | null;
  scheduledFor: string | null;
  status: RunStatus;
  actionCount: number;
  actionsDone: number;
  error: string | null;
  missedReason: string | null;
  taskId: string | null;
  at: string;
  dispatchedAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface ActionResult {
  index: number;
  type: ActionType;
  summary: string;
  ok: boolean;
  code: number | null;
  output: string;
  error: string;
  truncated: boolean;
  durationMs: number;
  finishedAt: string;
}

export interface RunDetail extends RunSummary {
  actions: ActionResult[];
}

export interface RunPage {
  items: RunSummary[];
  nextCursor: string | null;
}

export interface RunNowAnswer {
  batchId: string | null;
  runs: { runId: string; deviceId: string }[];
}
