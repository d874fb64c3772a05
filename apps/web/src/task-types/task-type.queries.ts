import { useQuery } from '@tanstack/react-query';
import { api } from '../api/api.client';
import type { LayoutField } from './task-layout.values';

/** A published version of a task type, as GET /api/task-types/{key}/versions/{version} answers (the parts the SPA reads). */
export interface TaskTypeVersion {
  key: string;
  version: number;
  name: string;
  layout: LayoutField[];
  actions: TypeAction[];
}

/** A custom action of a type version (libs/task-types TaskTypeAction; the parts the SPA reads). */
export interface TypeAction {
  key: string;
  label: string;
  roles: ('admin' | 'member' | 'viewer')[];
  confirm?: string;
  argsSchema?: { properties?: Record<string, { type?: string; title?: string; description?: string }>; required?: string[] };
  argsFrom?: Record<string, string>;
}

/** The type version a task was created with; versions are immutable, so it is read once. */
export function useTaskTypeVersion(key: string, version: number | null | undefined) {
  return useQuery({
    queryKey: ['task-type', key, version],
    queryFn: () =>
      api<TaskTypeVersion>(
        'GET',
        `/api/task-types/${encodeURIComponent(key)}/versions/${encodeURIComponent(String(version))}`,
      ),
    enabled: typeof version === 'number',
    staleTime: Infinity,
  });
}
