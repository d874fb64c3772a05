import { useQuery } from '@tanstack/react-query';
import { api } from '../api/api.client';
import type { LayoutField } from './task-layout.values';

/** A published version of a task type, as GET /api/task-types/{key}/versions/{version} answers (the parts the SPA reads). */
export interface TaskTypeVersion {
  key: string;
  version: number;
  name: string;
  layout: LayoutField[];
  /** JSON Schema 2020-12 for the payload, and the form's UI schema (react-jsonschema-form). */
  schema: Record<string, unknown>;
  uiSchema?: Record<string, unknown>;
}

/** A template as GET /api/templates answers it (the parts the new-task page reads). */
export interface TaskTemplate {
  id: string;
  name: string;
  type: string;
  title: string;
  description?: string;
  status?: 'pending' | 'waiting';
  dueOffset?: string;
  priority?: 'low' | 'normal' | 'high' | 'urgent';
  assignees?: { kind: 'user' | 'group'; id: string }[];
  tags?: string[];
  customerRef?: string;
  projectRef?: string;
  milestoneRef?: string;
  payload?: Record<string, unknown>;
}

/** The organisation's published task types, latest version each. */
export function useTaskTypes() {
  return useQuery({ queryKey: ['task-types'], queryFn: () => api<TaskTypeVersion[]>('GET', '/api/task-types'), staleTime: 60_000 });
}

export function useTemplates() {
  return useQuery({ queryKey: ['templates'], queryFn: () => api<TaskTemplate[]>('GET', '/api/templates'), staleTime: 60_000 });
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
