import type { TaskStatus } from '../api/api.types';
import { statuses } from '../tasks/task.format';

/** What the inbox shows; kept in the URL so a reload or a shared link shows the same. */
export interface InboxFilters {
  showCompleted: boolean;
  mine: boolean;
  assignedToMe: boolean;
  q: string;
  status: TaskStatus[];
  type: string;
  tag: string;
  /** A user id (or e-mail, as a sender may have named them) among the task's assignees. */
  assignee: string;
  customer: string;
  project: string;
  milestone: string;
}

export type InboxView = 'list' | 'table' | 'board' | 'calendar';
export const inboxViews: { id: InboxView; label: string }[] = [
  { id: 'list', label: 'List' },
  { id: 'table', label: 'Table' },
  { id: 'board', label: 'Board' },
  { id: 'calendar', label: 'Calendar' },
];

export function readFilters(params: URLSearchParams): InboxFilters {
  return {
    showCompleted: params.get('completed') === '1',
    mine: params.get('mine') === '1',
    assignedToMe: params.get('assigned') === '1',
    q: params.get('q') ?? '',
    status: (params.get('status') ?? '')
      .split(',')
      .filter((value): value is TaskStatus => statuses.includes(value as TaskStatus)),
    type: params.get('type') ?? '',
    tag: params.get('tag') ?? '',
    assignee: params.get('assignee') ?? '',
    customer: params.get('customer') ?? '',
    project: params.get('project') ?? '',
    milestone: params.get('milestone') ?? '',
  };
}

export function writeFilters(params: URLSearchParams, filters: InboxFilters): URLSearchParams {
  const next = new URLSearchParams(params);
  const set = (key: string, value: string) => (value ? next.set(key, value) : next.delete(key));
  set('completed', filters.showCompleted ? '1' : '');
  set('mine', filters.mine ? '1' : '');
  set('assigned', filters.assignedToMe ? '1' : '');
  set('q', filters.q.trim());
  set('status', filters.status.join(','));
  set('type', filters.type.trim());
  set('tag', filters.tag.trim());
  set('assignee', filters.assignee);
  set('customer', filters.customer.trim());
  set('project', filters.project.trim());
  set('milestone', filters.milestone.trim());
  return next;
}

export const activeFilterCount = (filters: InboxFilters): number =>
  [
    filters.showCompleted,
    filters.mine,
    filters.assignedToMe,
    filters.status.length > 0,
    filters.type,
    filters.tag,
    filters.assignee,
    filters.customer,
    filters.project,
    filters.milestone,
  ].filter(Boolean).length;

/** The inbox API's query for these filters (libs/query InboxQueryDto). */
export function toInboxQuery(filters: InboxFilters): Record<string, string | boolean | string[]> {
  return {
    showCompleted: filters.showCompleted,
    claimer: filters.mine ? 'me' : '',
    assignedToMe: filters.assignedToMe,
    q: filters.q.trim(),
    status: filters.status.length > 0 ? filters.status.join(',') : '',
    type: filters.type.trim(),
    tag: filters.tag.trim(),
    assignee: filters.assignee,
    customer: filters.customer.trim(),
    project: filters.project.trim(),
    milestone: filters.milestone.trim(),
  };
}

/** The same filters with none of the optional ones set (Clear filters). */
export const withoutFilters = (filters: InboxFilters): InboxFilters => ({
  ...filters,
  showCompleted: false,
  mine: false,
  assignedToMe: false,
  status: [],
  type: '',
  tag: '',
  assignee: '',
  customer: '',
  project: '',
  milestone: '',
});
