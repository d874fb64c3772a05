import { type QueryClient, queryOptions, useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { answer, api } from '../api/api.client';
import type { Actor } from '../api/api.types';

/** The organisation's people; `token` for a read made before the session is set (prefetchMembers). */
const membersQuery = (token?: string) =>
  queryOptions({
    queryKey: ['members'],
    queryFn: () => answer(api.GET('/api/users', { headers: token ? { authorization: `Bearer ${token}` } : undefined })),
    staleTime: 60_000,
  });

/** The organisation's people, to show names instead of ids. */
export function useMembers() {
  return useQuery(membersQuery());
}

/** Starts reading the people at start, so the inbox's rows show names when first drawn instead of drawing all again. */
export function prefetchMembers(queries: QueryClient, token: string): void {
  void queries.prefetchQuery(membersQuery(token));
}

export type NameOf = (who: string | Actor | null | undefined, viewerId?: string) => string;

/** A readable name for a user id ('you' for the viewer) or an actor; the same function until the people change. */
export function useNameOf(): NameOf {
  const { data } = useMembers();
  return useCallback<NameOf>((who, viewerId) => {
    if (!who) return '—';
    if (typeof who !== 'string' && who.kind === 'end_user') return 'the end user';
    if (typeof who !== 'string' && who.kind !== 'user') return who.name;
    const id = typeof who === 'string' ? who : who.id;
    if (viewerId && id === viewerId) return 'you';
    const member = data?.find((candidate) => candidate.id === id);
    return member ? member.name || member.email : 'someone';
  }, [data]);
}
