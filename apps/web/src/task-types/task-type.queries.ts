import { useQuery } from '@tanstack/react-query';
import type { Schema } from '@taskinbox/client';
import { answer, api } from '../api/api.client';

/** A published version of a task type, as GET /api/task-types/{key}/versions/{version} answers. */
export type TaskTypeVersion = Schema<'TaskTypeView'>;

/** A template as GET /api/templates answers it. */
export type TaskTemplate = Schema<'TemplateView'>;

/** The organisation's published task types, latest version each. */
export function useTaskTypes() {
  return useQuery({ queryKey: ['task-types'], queryFn: () => answer(api.GET('/api/task-types')), staleTime: 60_000 });
}

export function useTemplates() {
  return useQuery({ queryKey: ['templates'], queryFn: () => answer(api.GET('/api/templates')), staleTime: 60_000 });
}

/** A custom action of a type version (libs/task-types TaskTypeAction). */
export type TypeAction = NonNullable<TaskTypeVersion['actions']>[number];

/** The parts of an action's arguments schema (any JSON Schema 2020-12) the arguments form reads. */
export interface ArgsSchema {
  properties?: Record<string, { type?: string; title?: string; description?: string }>;
  required?: string[];
}

/** The type version a task was created with; versions are immutable, so it is read once. */
export function useTaskTypeVersion(key: string, version: number | null | undefined) {
  return useQuery({
    queryKey: ['task-type', key, version],
    queryFn: () => answer(api.GET('/api/task-types/{key}/versions/{version}', { params: { path: { key, version: version as number } } })),
    enabled: typeof version === 'number',
    staleTime: Infinity,
  });
}
