import { BrowserRouter, Route, Routes } from 'react-router';
import { AdminPage } from './admin/admin.page';
import { InboxPage } from './inbox/inbox.page';
import { NoticesProvider } from './layout/notices.context';
import { Shell } from './layout/page.shell';
import { LoginPage } from './session/login.page';
import { useSession } from './session/session.context';
import { StatsPage } from './stats/stats.page';
import { TaskPage } from './tasks/task.page';

export function App() {
  const { session } = useSession();
  if (!session) return <LoginPage />;
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
