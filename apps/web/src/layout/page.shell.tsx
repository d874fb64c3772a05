import { Suspense } from 'react';
import { NavLink, Outlet } from 'react-router';
import { useNotifications } from '../alerts/alerts.queries';
import { Loading } from './load.states';
import { LiveChangesProvider } from '../live/live-changes.context';
import { useSession, useSignedIn } from '../session/session.context';

/** Header with the sections the role may open; pages render below. */
export function Shell() {
  const session = useSignedIn();
  const { signOut } = useSession();
  return (
    <div className="shell">
      <a href="#main" className="skip">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">taskinbox</span>
        <nav aria-label="Sections">
          <NavLink to="/" end>
            Inbox
          </NavLink>
          <NavLink to="/stats">Stats</NavLink>
          <NavLink to="/on-call">On call</NavLink>
          <AlertsLink />
          <NavLink to="/devices">Devices</NavLink>
          {session.role === 'admin' && <NavLink to="/admin">Admin</NavLink>}
        </nav>
        <NavLink to="/account" className="who" title={`${session.email}: your account`}>
          {session.organisation.name}
        </NavLink>
        <button type="button" className="link" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <LiveChangesProvider>
        <main id="main" tabIndex={-1}>
          {/* Pages load as chunks of their own (app.tsx): the header stays while one arrives. */}
          <Suspense fallback={<Loading what="the page" />}>
            <Outlet />
          </Suspense>
        </main>
      </LiveChangesProvider>
    </div>
  );
}

/** Alerts, with how many are unread. */
function AlertsLink() {
  const unread = useNotifications().data?.unread ?? 0;
  return (
    <NavLink to="/alerts" aria-label={unread ? `Alerts, ${unread} unread` : 'Alerts'}>
      Alerts{unread > 0 && <span className="count">{unread}</span>}
    </NavLink>
  );
}
