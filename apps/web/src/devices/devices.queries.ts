import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, withQuery } from '../api/api.client';
import { useSignedIn } from '../session/session.context';
import type { Device, DeviceGroup, EnrolmentTokenCreated, Job, JobAction, RunDetail, RunNowAnswer, RunPage, Schedule } from './devices.types';

// Every devices query is keyed under ['devices', organisation]: one live event refreshes them all.

function useKey(...parts: unknown[]): unknown[] {
  const { organisation } = useSignedIn();
  return ['devices', organisation.id, ...parts];
}

export type DevicesLiveState = 'connecting' | 'live' | 'offline';

/**
 * The devices' own event stream (/api/devices/stream): a device coming online or going offline,
 * or a run changing, refetches what is on screen. The stream carries no data and has no replay,
 * so a reconnect refetches too.
 */
export function useDevicesLive(): DevicesLiveState {
  const { token, organisation } = useSignedIn();
  const queries = useQueryClient();
  const [state, setState] = useState<DevicesLiveState>('connecting');
  useEffect(() => {
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    const refresh = () => void queries.invalidateQueries({ queryKey: ['devices', organisation.id] });
    const open = () => {
      const current = new EventSource(`/api/devices/stream?access_token=${encodeURIComponent(token)}`);
      source = current;
      current.onopen = () => {
        failures = 0;
        setState('live');
        refresh();
      };
      current.onerror = () => {
        if (current.readyState !== EventSource.CLOSED) return setState('connecting');
        setState('offline');
        current.close();
        retry = setTimeout(open, Math.min(30_000, 1_000 * 2 ** failures++));
      };
      current.addEventListener('devices.changed', refresh);
    };
    open();
    return () => {
      clearTimeout(retry);
      source?.close();
    };
  }, [token, organisation.id, queries]);
  return state;
}

export function useDevices() {
  const queryKey = useKey('list');
  return useQuery({ queryKey, queryFn: () => api<Device[]>('GET', '/api/devices') });
}

export function useGroups() {
  const queryKey = useKey('groups');
  return useQuery({ queryKey, queryFn: () => api<DeviceGroup[]>('GET', '/api/device-groups') });
}

export function useJobs() {
  const queryKey = useKey('jobs');
  return useQuery({ queryKey, queryFn: () => api<Job[]>('GET', '/api/jobs') });
}

export function useJob(id: string) {
  const queryKey = useKey('job', id);
  return useQuery({ queryKey, queryFn: () => api<Job>('GET', `/api/jobs/${id}`) });
}

export function useRuns(filter: { jobId?: string; deviceId?: string; batchId?: string; limit?: number }) {
  const queryKey = useKey('runs', filter);
  return useQuery({ queryKey, queryFn: () => api<RunPage>('GET', withQuery('/api/runs', { limit: 50, ...filter })) });
}

export function useRun(id: string) {
  const queryKey = useKey('run', id);
  return useQuery({ queryKey, queryFn: () => api<RunDetail>('GET', `/api/runs/${id}`) });
}

/** A write, then every devices query refetched. */
function useDevicesMutation<Input, Output>(write: (input: Input) => Promise<Output>) {
  const queries = useQueryClient();
  const { organisation } = useSignedIn();
  return useMutation({
    mutationFn: write,
    onSuccess: () => void queries.invalidateQueries({ queryKey: ['devices', organisation.id] }),
  });
}

export const useCreateEnrolmentToken = () =>
  useDevicesMutation((body: { name: string; groupIds: string[] }) =>
    api<EnrolmentTokenCreated>('POST', '/api/devices/enrolment-tokens', body),
  );

export const useUnenrol = () => useDevicesMutation((id: string) => api<void>('DELETE', `/api/devices/${id}`));

export const useSaveGroup = () =>
  useDevicesMutation((group: { id?: string; name: string; deviceIds: string[]; selector: Record<string, string> }) => {
    const { id, ...body } = group;
    return id ? api<DeviceGroup>('PUT', `/api/device-groups/${id}`, body) : api<DeviceGroup>('POST', '/api/device-groups', body);
  });

export const useDeleteGroup = () => useDevicesMutation((id: string) => api<void>('DELETE', `/api/device-groups/${id}`));

export const useCreateJob = () =>
  useDevicesMutation((body: { name: string; description?: string; actions: JobAction[]; onFailure: string; openTaskOnFailure: boolean }) =>
    api<Job>('POST', '/api/jobs', body),
  );

export const useDeleteJob = () => useDevicesMutation((id: string) => api<void>('DELETE', `/api/jobs/${id}`));

export const useRunNow = (jobId: string) =>
  useDevicesMutation((target: { deviceId: string } | { groupId: string }) =>
    api<RunNowAnswer>('POST', `/api/jobs/${jobId}/runs`, target),
  );

export const useAddSchedule = (jobId: string) =>
  useDevicesMutation((body: Record<string, unknown>) => api<Schedule>('POST', `/api/jobs/${jobId}/schedules`, body));

export const useRemoveSchedule = (jobId: string) =>
  useDevicesMutation((scheduleId: string) => api<void>('DELETE', `/api/jobs/${jobId}/schedules/${scheduleId}`));

export const useCancelRun = () => useDevicesMutation((id: string) => api<void>('POST', `/api/runs/${id}/cancel`, {}));
