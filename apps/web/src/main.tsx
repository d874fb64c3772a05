import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { registerServiceWorker } from './alerts/push.subscription';
import { retryUnlessRefused } from './api/query.retry';
import { App, InboxPage, LoginPage } from './app';
import { prefetchInbox } from './inbox/inbox.queries';
import { prefetchMembers } from './session/members.query';
import { readStored, SessionProvider } from './session/session.context';
import './styles.css';

const queries = new QueryClient({
  defaultOptions: {
    queries: {
      retry: retryUnlessRefused,
    },
  },
});

/**
 * The first screen's chunk (and the signed-in inbox's first page and people) start loading now, beside this
 * script, and the first render waits for the chunk: the page then comes up whole, instead of
 * "Loading the page…" that React keeps on screen for at least 300 ms once shown.
 */
function firstScreen(): Promise<unknown> {
  const stored = readStored();
  if (!stored) return LoginPage.preload();
  if (stored.mustChangePassword || window.location.pathname !== '/') return Promise.resolve();
  prefetchInbox(queries, stored.token);
  prefetchMembers(queries, stored.token);
  return InboxPage.preload();
}

const render = () =>
  createRoot(document.getElementById('root') as HTMLElement).render(
    <StrictMode>
      <QueryClientProvider client={queries}>
        <SessionProvider>
          <App />
        </SessionProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
// A chunk that fails to load here is tried again, and reported, by the page itself.
void firstScreen().then(render, render);

// Installable app and Web Push: the worker shows pushed notifications and opens their task.
registerServiceWorker();
