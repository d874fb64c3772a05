import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { publicEventTypes, type TaskChange } from '../api/api.types';
import { useSignedIn } from '../session/session.context';
import { CatchUpReads } from './catch-up.reads';

type Listener = (change: TaskChange) => void;
export type LiveState = 'connecting' | 'live' | 'offline';

interface LiveChanges {
  state: LiveState;
  subscribe(listener: Listener): () => void;
}

const readyWaitMs = 5_000;

const LiveChangesContext = createContext<LiveChanges>({ state: 'offline', subscribe: () => () => undefined });

/**
 * One EventSource on /api/stream for the whole app. The stream has no replay: whenever it opens,
 * what may have missed a change is read again (CatchUpReads).
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
    let readyWait: ReturnType<typeof setTimeout> | undefined;
    const catchUp = new CatchUpReads(queries);
    const stopCatchingUp = catchUp.watch();
    const deliver = (message: MessageEvent<string>) => {
      const change = JSON.parse(message.data) as TaskChange;
      catchUp.saw(change.position);
      for (const listener of listeners.current) listener(change);
    };
    const open = () => {
      const current = new EventSource(`/api/stream?access_token=${encodeURIComponent(token)}`);
      source = current;
      current.onopen = () => {
        failures = 0;
        setState('live');
        // A server that says nothing of where the log stood (an older one mid-deploy, a slow
        // database) still gets everything read again, as if it could not tell.
        clearTimeout(readyWait);
        readyWait = setTimeout(() => catchUp.ready(null), readyWaitMs);
      };
      current.addEventListener('ready', (message: MessageEvent<string>) => {
        clearTimeout(readyWait);
        catchUp.ready((JSON.parse(message.data) as { position: string | null }).position);
      });
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
      clearTimeout(readyWait);
      stopCatchingUp();
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
