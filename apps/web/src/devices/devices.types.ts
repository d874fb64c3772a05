// The shapes of /api/devices, /api/device-groups, /api/jobs and /api/runs, from the OpenAPI document.
import type { Schema } from '@taskinbox/client';

export type Device = Schema<'DeviceSummary'>;
export type DeviceFacts = Device['facts'];
export type DeviceGroup = Schema<'DeviceGroupView'>;
export type EnrolmentTokenCreated = Schema<'EnrolmentTokenCreatedView'>;
export type Job = Schema<'JobView'>;
export type JobAction = Job['actions'][number];
export type ActionType = JobAction['type'];
export type Schedule = Schema<'JobScheduleView'>;
export type RunSummary = Schema<'RunSummary'>;
export type RunStatus = RunSummary['status'];
export type ActionResult = Schema<'ActionResultView'>;
export type RunDetail = Schema<'RunDetail'>;
export type RunPage = Schema<'RunPage'>;
export type RunNowAnswer = Schema<'RunNowView'>;

/** An action being written in the job form: every kind's fields, its type deciding which count. */
export interface JobActionDraft {
  type: ActionType;
  timeoutSeconds?: number;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  url?: string;
  body?: string;
  interpreter?: string;
  content?: string;
  command?: string;
  arguments?: string[];
  path?: string;
  maxBytes?: number;
}
