import { type ComponentType, lazy, Suspense, useState } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { Loading } from './layout/load.states';
import { NoticesProvider } from './layout/notices.context';
import { Shell } from './layout/page.shell';
import { useSession } from './session/session.context';

// Each page is its own chunk, so the sign-in page and the inbox load only their own script.
const page = <Name extends string>(load: () => Promise<Record<Name, ComponentType>>, name: Name) => {
  let loaded: ComponentType | undefined;
  const preload = once(() => load().then((module) => (loaded = module[name])));
  const Lazy = lazy<ComponentType>(() => preload().then((component) => ({ default: component })));
  /**
   * A chunk already loaded (preload, at start) renders at once: a Suspense fallback, even for an
   * instant, makes React hold the page back until 300 ms after it showed (its fallback throttle).
   * Chosen once per mount, so the page is never remounted when its chunk arrives.
   */
  function Page() {
    const [Loaded] = useState(() => loaded);
    return Loaded ? <Loaded /> : <Lazy />;
  }
  return Object.assign(Page, { preload });
};
/** Loads once; a failed load (offline, a deploy) is tried again by the next call. */
const once = <T,>(make: () => Promise<T>) => {
  let made: Promise<T> | undefined;
  return () =>
    (made ??= make().catch((error: unknown) => {
      made = undefined;
      throw error;
    }));
};
export const LoginPage = page(() => import('./session/login.page'), 'LoginPage');
export const InboxPage = page(() => import('./inbox/inbox.page'), 'InboxPage');
const TaskPage = page(() => import('./tasks/task.page'), 'TaskPage');
const NewTaskPage = page(() => import('./tasks/task-new.page'), 'NewTaskPage');
const EditTaskPage = page(() => import('./tasks/task-edit.page'), 'EditTaskPage');
const StatsPage = page(() => import('./stats/stats.page'), 'StatsPage');
const AdminPage = page(() => import('./admin/admin.page'), 'AdminPage');
const DevicesPage = page(() => import('./devices/devices.page'), 'DevicesPage');
const AlertsPage = page(() => import('./alerts/alerts.page'), 'AlertsPage');
const OnCallPage = page(() => import('./oncall/oncall.page'), 'OnCallPage');
const AccountPage = page(() => import('./account/account.page'), 'AccountPage');
const ForcedPasswordChange = page(() => import('./account/account.page'), 'ForcedPasswordChange');
const InvitationPage = lazy(() => import('./account/invitation.page').then((module) => ({ default: module.InvitationPage })));
const PasswordResetPage = lazy(() => import('./account/password-reset.page').then((module) => ({ default: module.PasswordResetPage })));

/** Pages a single-use link opens, whoever is signed in on this device. */
const linkPages = { '/invitation': InvitationPage, '/reset-password': PasswordResetPage } as const;

export function App() {
  const { session } = useSession();
  const [path, setPath] = useState(window.location.pathname);
  const LinkPage = linkPages[path as keyof typeof linkPages];
  if (LinkPage) {
    const leave = () => {
      window.history.replaceState(null, '', '/');
      setPath('/');
    };
    return (
      <Suspense fallback={<Loading what="the page" />}>
        <LinkPage onDone={leave} />
      </Suspense>
    );
  }
  if (!session || session.mustChangePassword) {
    return (
      <Suspense fallback={<Loading what="the sign-in page" />}>{session ? <ForcedPasswordChange /> : <LoginPage />}</Suspense>
    );
  }
  // Keyed by session: notices of one person never show to the next.
  return (
    <NoticesProvider key={session.token}>
      <BrowserRouter>
        <Routes>
          <Route element={<Shell />}>
            <Route index element={<InboxPage />} />
            <Route path="tasks/new" element={<NewTaskPage />} />
            <Route path="tasks/:id" element={<TaskPage />} />
            <Route path="tasks/:id/edit" element={<EditTaskPage />} />
            <Route path="stats" element={<StatsPage />} />
            <Route path="alerts" element={<AlertsPage />} />
            <Route path="on-call" element={<OnCallPage />} />
            <Route path="account" element={<AccountPage />} />
            <Route path="admin/*" element={<AdminPage />} />
            <Route path="devices/*" element={<DevicesPage />} />
            <Route path="*" element={<p>This page does not exist.</p>} />
          </Route>
        </Routes>
      </BrowserRouter>
    </NoticesProvider>
  );
}
