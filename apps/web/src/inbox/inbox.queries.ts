import {
  type InfiniteData,
  infiniteQueryOptions,
  keepPreviousData,
  type QueryClient,
  useInfiniteQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { useEffect, useMemo, useRef } from 'react';
import type { paths } from '@taskinbox/client';
import { answer, api } from '../api/api.client';
import type { InboxPage, TaskSummary } from '../api/api.types';
import type { LogPositionMeta } from '../live/catch-up.reads';
import { useLiveChanges } from '../live/live-changes.context';
import { expectTaskVersion, sawTaskVersion, versionsToWaitFor } from '../live/read-your-writes.store';
import { type InboxFilters, readFilters, toInboxQuery } from './inbox.filters';

const pageSize = 50;
const refreshDelayMs = 150;

type InboxQuery = NonNullable<paths['/api/inbox/tasks']['get']['parameters']['query']>;

/** The inbox's key and how its pages are read; `token` for a read made before the session is set (prefetchInbox). */
function inboxQuery(query: ReturnType<typeof toInboxQuery>, extra: Record<string, string>, token?: string) {
  return infiniteQueryOptions({
    queryKey: ['inbox', query, extra],
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam }) => {
      const waitFor = pageParam ? [] : versionsToWaitFor();
      // The filters' statuses go comma-separated, which the list takes as well as repeated.
      const params = { ...query, ...extra, limit: pageSize, cursor: pageParam ?? undefined, waitFor } as InboxQuery;
      const headers = token ? { authorization: `Bearer ${token}` } : undefined;
      const page: InboxPage = await answer(api.GET('/api/inbox/tasks', { params: { query: params }, headers }));
      for (const task of page.items) sawTaskVersion(task.id, task.version);
      return page;
    },
    getNextPageParam: (last) => last.nextCursor,
    meta: inboxPositionMeta,
  });
}

/** Where the inbox was read: its oldest page's position (none while a page is empty). */
const inboxPositionMeta: LogPositionMeta = {
  logPosition: (data) => {
    const positions = (data as InfiniteData<InboxPage>).pages.map((page) => page.position);
    if (positions.length === 0 || positions.some((position) => position === null)) return undefined;
    return (positions as string[]).reduce((oldest, position) => (position < oldest ? position : oldest));
  },
};

/**
 * Starts reading the inbox's first page (for the filters in the address) as the app starts, beside
 * its script, instead of after the first render has loaded the inbox page.
 */
export function prefetchInbox(queries: QueryClient, token: string): void {
  const filters = readFilters(new URLSearchParams(window.location.search));
  void queries.prefetchInfiniteQuery(inboxQuery(toInboxQuery(filters), {}, token));
}

/**
 * The shared inbox, one page of 50 at a time (the first render stays small however long the
 * queue is), refreshed when any task of the organisation changes. A refresh names the changed
 * tasks' versions (waitFor) so the list already reflects them when it arrives.
 */
export function useInbox(filters: InboxFilters, extra: Record<string, string> = {}) {
  const queries = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const query = toInboxQuery(filters);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  const inbox = useInfiniteQuery({
    ...inboxQuery(query, extra),
    // A new filter keeps the old list on screen until its answer arrives, instead of a blank.
    placeholderData: keepPreviousData,
    // The first read (prefetched at start) is not made again as the inbox mounts a moment later;
    // after it, and whenever a change invalidates the list, a mount reads it afresh.
    staleTime: (query) => (query.state.dataUpdateCount === 1 ? 5_000 : 0),
  });

  const live = useLiveChanges((change) => {
    // A task's version is its stream revision (0-based), as commands answer it.
    expectTaskVersion(change.taskId, change.revision);
    // Changes arrive in bursts (a claim is often followed by more); one refresh per burst.
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      void queries.invalidateQueries({ queryKey: ['inbox'] });
    }, refreshDelayMs);
  });

  // The same array while the pages are the same (React Query shares unchanged data): rows re-render
  // only when tasks change, not each time the live state or a fetch flag does.
  const tasks: TaskSummary[] = useMemo(() => flatten(inbox.data), [inbox.data]);
  return { ...inbox, tasks, live };
}

const flatten = (data: InfiniteData<InboxPage> | undefined): TaskSummary[] => {
  if (!data) return [];
  // A task can move between pages while they load (it was claimed); show it once.
  const byId = new Map<string, TaskSummary>();
  for (const page of data.pages) for (const task of page.items) if (!byId.has(task.id)) byId.set(task.id, task);
  return [...byId.values()];
};
