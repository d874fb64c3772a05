import { lazy, Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { Loading } from './layout/load.states';
import { NoticesProvider } from './layout/notices.context';
import { Shell } from './layout/page.shell';
import { useSession } from './session/session.context';

// Each page is its own chunk, so the sign-in page and the inbox load only their own script.
const page = <Name extends string>(load: () => Promise<Record<Name, React.ComponentType>>, name: Name) =>
  lazy(() => load().then((module) => ({ default: module[name] })));
const LoginPage = page(() => import('./session/login.page'), 'LoginPage');
const InboxPage = page(() => import('./inbox/inbox.page'), 'InboxPage');
const TaskPage = page(() => import('./tasks/task.page'), 'TaskPage');
const StatsPage = page(() => import('./stats/stats.page'), 'StatsPage');
const AdminPage = page(() => import('./admin/admin.page'), 'AdminPage');

export function App() {
  const { session } = useSession();
  if (!session)
    return (
      <Suspense fallback={<Loading what="the sign-in page" />}>
        <LoginPage />
      </Suspense>
    );
  // Keyed by session: notices of one person never show to the next.
  return (
    <NoticesProvider key={session.token}>
      <BrowserRouter>
        <Routes>
          <Route element={<Shell />}>
            <Route index element={<InboxPage />} />
            <Route path="tasks/:id" element={<TaskPage />} />
            <Route path="stats" element={<StatsPage />} />
            <Route path="admin/*" element={<AdminPage />} />
            <Route path="*" element={<p>This page does not exist.</p>} />
          </Route>
        </Routes>
      </BrowserRouter>
    </NoticesProvider>
  );
}
