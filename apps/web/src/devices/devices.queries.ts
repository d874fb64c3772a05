import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { Schema } from '@taskinbox/client';
import { answer, api } from '../api/api.client';
import { useSignedIn } from '../session/session.context';
import type { JobAction, JobActionDraft } from './devices.types';

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
  return useQuery({ queryKey, queryFn: () => answer(api.GET('/api/devices')) });
}

export function useGroups() {
  const queryKey = useKey('groups');
  return useQuery({ queryKey, queryFn: () => answer(api.GET('/api/device-groups')) });
}

export function useJobs() {
  const queryKey = useKey('jobs');
  return useQuery({ queryKey, queryFn: () => answer(api.GET('/api/jobs')) });
}

export function useJob(id: string) {
  const queryKey = useKey('job', id);
  return useQuery({ queryKey, queryFn: () => answer(api.GET('/api/jobs/{id}', { params: { path: { id } } })) });
}

export function useRuns(filter: { jobId?: string; deviceId?: string; batchId?: string; limit?: number }) {
  const queryKey = useKey('runs', filter);
  return useQuery({ queryKey, queryFn: () => answer(api.GET('/api/runs', { params: { query: { limit: 50, ...filter } } })) });
}

export function useRun(id: string) {
  const queryKey = useKey('run', id);
  return useQuery({ queryKey, queryFn: () => answer(api.GET('/api/runs/{id}', { params: { path: { id } } })) });
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
    answer(api.POST('/api/devices/enrolment-tokens', { body })),
  );

export const useUnenrol = () => useDevicesMutation((id: string) => answer(api.DELETE('/api/devices/{id}', { params: { path: { id } } })));

export const useSaveGroup = () =>
  useDevicesMutation((group: { id?: string; name: string; deviceIds: string[]; selector: Record<string, string> }) => {
    const { id, ...body } = group;
    return answer(id ? api.PUT('/api/device-groups/{id}', { params: { path: { id } }, body }) : api.POST('/api/device-groups', { body }));
  });

export const useDeleteGroup = () => useDevicesMutation((id: string) => answer(api.DELETE('/api/device-groups/{id}', { params: { path: { id } } })));

export const useCreateJob = () =>
  useDevicesMutation((draft: { name: string; description?: string; actions: JobActionDraft[]; onFailure: 'stop' | 'continue'; openTaskOnFailure: boolean }) =>
    // The form keeps every kind's fields; each draft's type says which the server reads.
    answer(api.POST('/api/jobs', { body: { ...draft, actions: draft.actions as JobAction[] } })),
  );

export const useDeleteJob = () => useDevicesMutation((id: string) => answer(api.DELETE('/api/jobs/{id}', { params: { path: { id } } })));

export const useRunNow = (jobId: string) =>
  useDevicesMutation((target: { deviceId: string } | { groupId: string }) =>
    answer(api.POST('/api/jobs/{id}/runs', { params: { path: { id: jobId } }, body: target })),
  );

export const useAddSchedule = (jobId: string) =>
  useDevicesMutation((body: Schema<'JobScheduleDto'>) => answer(api.POST('/api/jobs/{id}/schedules', { params: { path: { id: jobId } }, body })));

export const useRemoveSchedule = (jobId: string) =>
  useDevicesMutation((scheduleId: string) =>
    answer(api.DELETE('/api/jobs/{id}/schedules/{scheduleId}', { params: { path: { id: jobId, scheduleId } } })),
  );

export const useCancelRun = () => useDevicesMutation((id: string) => answer(api.POST('/api/runs/{id}/cancel', { params: { path: { id } }, body: {} })));
