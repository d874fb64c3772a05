import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { answer, api, setApiToken } from '../api/api.client';
import type { LoginAnswer, Organisation, Role } from '../api/api.types';

export interface Session {
  token: string;
  userId: string;
  /** The role now: read from the server at sign-in and again whenever the tab comes back. */
  role: Role;
  email: string;
  organisation: Organisation;
  organisations: Organisation[];
  /** A generated password is still in use: nothing opens until it is changed. */
  mustChangePassword: boolean;
}

interface SessionContextValue {
  session: Session | null;
  /** Signs in; answers the organisations to choose from when the user has several and named none. */
  logIn(email: string, password: string, organisationId?: string): Promise<Organisation[] | null>;
  /** Takes the session an accepted invitation signed in to. */
  adopt(answer: LoginAnswer, email: string): Promise<void>;
  /** Reads the role and the password duty from the server again. */
  refresh(): Promise<void>;
  /** Ends the session on the server, then forgets it here. */
  signOut(): Promise<void>;
  /** Forgets the session here (the server already ended it). */
  logOut(): void;
}

const storageKey = 'taskinbox.session';
const SessionContext = createContext<SessionContextValue | null>(null);

/** The session kept on this device, while its token has not expired. */
export function readStored(): Session | null {
  try {
    const stored = JSON.parse(localStorage.getItem(storageKey) ?? 'null') as Session | null;
    if (!stored) return null;
    const { exp } = claimsOf(stored.token);
    return exp * 1000 > Date.now() ? stored : null;
  } catch {
    return null;
  }
}

function claimsOf(token: string): { sub: string; exp: number } {
  const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  return JSON.parse(atob(part));
}

/** GET /api/auth/me with a token not yet (or no longer) the session's: a person's role and password duty now. */
async function meWith(token: string): Promise<{ role: Role; mustChangePassword: boolean }> {
  const me = await answer(api.GET('/api/auth/me', { headers: { authorization: `Bearer ${token}` } }));
  if (!me.actor.role || !me.session) throw new Error('This token is not a person’s session.');
  return { role: me.actor.role, mustChangePassword: me.session.mustChangePassword };
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(() => readStored());

  const queries = useQueryClient();
  const keep = useCallback((next: Session | null) => {
    if (next) localStorage.setItem(storageKey, JSON.stringify(next));
    else localStorage.removeItem(storageKey);
    setSession(next);
  }, []);
  const logOut = useCallback(() => {
    keep(null);
    // Nothing of one organisation may show to the next person to sign in on this device.
    queries.clear();
  }, [keep, queries]);
  const mustChange = useCallback(() => setSession((current) => (current ? { ...current, mustChangePassword: true } : current)), []);

  // Signing out (or in as someone else) in another tab applies here too: no tab keeps acting
  // for a person or organisation that is no longer signed in.
  useEffect(() => {
    const follow = (event: StorageEvent) => {
      if (event.key !== storageKey) return;
      if (event.newValue === null) logOut();
      else window.location.reload();
    };
    window.addEventListener('storage', follow);
    return () => window.removeEventListener('storage', follow);
  }, [logOut]);

  // The token is set during render so that queries started by children already carry it.
  setApiToken(session?.token ?? null, logOut, mustChange);

  const refresh = useCallback(async () => {
    const current = readStored();
    if (!current) return;
    try {
      const me = await meWith(current.token);
      keep({ ...current, ...me });
    } catch {
      // A 401 reaches logOut through the next API call; a network error changes nothing.
    }
  }, [keep]);

  // An admin may change this person's role at any time: the pages follow when the tab comes back.
  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible') void refresh();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [refresh]);

  const adopt = useCallback(
    async (answer: LoginAnswer, email: string) => {
      if (!answer.accessToken || !answer.organisation) return;
      const me = await meWith(answer.accessToken);
      queries.clear();
      keep({
        token: answer.accessToken,
        userId: claimsOf(answer.accessToken).sub,
        role: me.role,
        email,
        organisation: answer.organisation,
        organisations: answer.organisations,
        mustChangePassword: me.mustChangePassword,
      });
    },
    [keep, queries],
  );

  const logIn = useCallback(
    async (email: string, password: string, organisationId?: string) => {
      const login = await answer(api.POST('/api/auth/login', { body: { email, password, organisationId } }));
      if (!login.accessToken || !login.organisation) return login.organisations;
      await adopt(login, email);
      return null;
    },
    [adopt],
  );

  const signOut = useCallback(async () => {
    try {
      await answer(api.POST('/api/auth/logout'));
    } catch {
      // Already ended, or unreachable: forget it here all the same.
    }
    logOut();
  }, [logOut]);

  const value = useMemo(() => ({ session, logIn, adopt, refresh, signOut, logOut }), [session, logIn, adopt, refresh, signOut, logOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in session; only for pages behind the login. */
export function useSignedIn(): Session {
  const { session } = useSession();
  if (!session) throw new Error('useSignedIn without a session');
  return session;
}
