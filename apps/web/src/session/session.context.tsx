import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, setApiToken } from '../api/api.client';
import type { LoginAnswer, Organisation, Role } from '../api/api.types';

export interface Session {
  token: string;
  userId: string;
  role: Role;
  email: string;
  organisation: Organisation;
  organisations: Organisation[];
}

interface SessionContextValue {
  session: Session | null;
  /** Signs in; answers the organisations to choose from when the user has several and named none. */
  logIn(email: string, password: string, organisationId?: string): Promise<Organisation[] | null>;
  logOut(): void;
}

const storageKey = 'taskinbox.session';
const SessionContext = createContext<SessionContextValue | null>(null);

function readStored(): Session | null {
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

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(() => readStored());

  const queries = useQueryClient();
  const logOut = useCallback(() => {
    localStorage.removeItem(storageKey);
    // Nothing of one organisation may show to the next person to sign in on this device.
    queries.clear();
    setSession(null);
  }, [queries]);

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
  setApiToken(session?.token ?? null, logOut);

  const logIn = useCallback(
    async (email: string, password: string, organisationId?: string) => {
      const answer = await api<LoginAnswer>('POST', '/api/auth/login', { email, password, organisationId });
      if (!answer.accessToken || !answer.organisation) return answer.organisations;
      const claims = claimsOf(answer.accessToken);
      const next: Session = {
        token: answer.accessToken,
        userId: claims.sub,
        role: answer.organisation.role,
        email,
        organisation: answer.organisation,
        organisations: answer.organisations,
      };
      localStorage.setItem(storageKey, JSON.stringify(next));
      setApiToken(next.token, logOut);
      setSession(next);
      return null;
    },
    [logOut],
  );

  const value = useMemo(() => ({ session, logIn, logOut }), [session, logIn, logOut]);
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
