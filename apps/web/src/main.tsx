import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { registerServiceWorker } from './alerts/push.subscription';
import { retryUnlessRefused } from './api/query.retry';
import { App } from './app';
import { SessionProvider } from './session/session.context';
import './styles.css';

const queries = new QueryClient({
  defaultOptions: {
    queries: {
      retry: retryUnlessRefused,
    },
  },
});

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <QueryClientProvider client={queries}>
      <SessionProvider>
        <App />
      </SessionProvider>
    </QueryClientProvider>
  </StrictMode>,
);

// Installable app and Web Push: the worker shows pushed notifications and opens their task.
registerServiceWorker();
