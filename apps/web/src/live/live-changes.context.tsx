import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { publicEventTypes, type TaskChange } from '../api/api.types';
import { useSignedIn } from '../session/session.context';

type Listener = (change: TaskChange) => void;
export type LiveState = 'connecting' | 'live' | 'offline';

interface LiveChanges {
  state: LiveState;
  subscribe(listener: Listener): () => void;
}

const LiveChangesContext = createContext<LiveChanges>({ state: 'offline', subscribe: () => () => undefined });

/**
 * One EventSource on /api/stream for the whole app. The stream has no replay, so whenever it
 * opens every cached query is refetched: nothing missed while offline stays missing, nor a change
 * made between a page's first read and the stream's first open (slow on a busy phone).
 */
export function LiveChangesProvider({ children }: { children: ReactNode }) {
  const { token } = useSignedIn();
  const queries = useQueryClient();
  const listeners = useRef(new Set<Listener>());
  const [state, setState] = useState<LiveState>('connecting');

  useEffect(() => {
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    const deliver = (message: MessageEvent<string>) => {
      const change = JSON.parse(message.data) as TaskChange;
      for (const listener of listeners.current) listener(change);
    };
    const open = () => {
      const current = new EventSource(`/api/stream?access_token=${encodeURIComponent(token)}`);
      source = current;
      current.onopen = () => {
        failures = 0;
        setState('live');
        readAllAgain(queries);
      };
      current.onerror = () => {
        if (current.readyState !== EventSource.CLOSED) return setState('connecting');
        // The browser stops for good after an answer other than 200 (a 502 during a deploy);
        // we keep trying, less often each time.
        setState('offline');
        current.close();
        retry = setTimeout(open, Math.min(30_000, 1_000 * 2 ** failures++));
      };
      for (const type of publicEventTypes) current.addEventListener(type, deliver);
    };
    open();
    return () => {
      clearTimeout(retry);
      source?.close();
    };
  }, [token, queries]);

  const subscribe = useCallback((listener: Listener) => {
    listeners.current.add(listener);
    return () => void listeners.current.delete(listener);
  }, []);
  const value = useMemo(() => ({ state, subscribe }), [state, subscribe]);
  return <LiveChangesContext.Provider value={value}>{children}</LiveChangesContext.Provider>;
}

/**
 * Refetches every cached query. A read still under way is left to finish and made again after:
 * cancelling it (invalidateQueries' default) would hold a page's first rows back by a whole
 * round trip whenever the stream opens while they load.
 */
function readAllAgain(queries: QueryClient): void {
  const cache = queries.getQueryCache();
  const underWay = new Set(cache.findAll({ fetchStatus: 'fetching' }));
  void queries.invalidateQueries({ predicate: (query) => !underWay.has(query) });
  for (const query of underWay) {
    const stop = cache.subscribe((event) => {
      if (event.query !== query) return;
      if (event.type === 'removed') return stop();
      if (query.state.fetchStatus === 'fetching') return;
      stop();
      void queries.invalidateQueries({ queryKey: query.queryKey, exact: true });
    });
  }
}

/** Calls `listener` for each task change in the organisation while the component is mounted. */
export function useLiveChanges(listener: Listener): LiveState {
  const { state, subscribe } = useContext(LiveChangesContext);
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => subscribe((change) => latest.current(change)), [subscribe]);
  return state;
}
