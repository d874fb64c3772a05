import { answer, api } from '../api/api.client';
import { useNotify } from '../layout/notices.context';
import { useSession, useSignedIn } from '../session/session.context';
import { PasswordForm } from './password.form';
import './account.css';

/** The signed-in person's own account: who they are here, their password, signing out. */
export function AccountPage() {
  const session = useSignedIn();
  const { signOut } = useSession();
  const notify = useNotify();
  return (
    <section className="stack account" aria-labelledby="account-title">
      <h1 id="account-title">Your account</h1>
      <dl className="facts">
        <dt>E-mail</dt>
        <dd className="break">{session.email}</dd>
        <dt>Organisation</dt>
        <dd>{session.organisation.name}</dd>
        <dt>Role</dt>
        <dd>{session.role}</dd>
      </dl>
      <PasswordForm
        title="Change password"
        current
        submitLabel="Change password"
        busyLabel="Changing…"
        onSubmit={async (passwords) => {
          await answer(api.POST('/api/auth/password', { body: passwords }));
          notify('Password changed. Your other sessions, on other devices, have been signed out.', 'success');
        }}
      />
      <div className="card stack">
        <h2>Sign out</h2>
        <p className="muted">Ends this session on the server: the token on this device stops working at once.</p>
        <button type="button" className="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </div>
    </section>
  );
}

/** After signing in with a generated password: nothing else opens until the person chooses their own. */
export function ForcedPasswordChange() {
  const session = useSignedIn();
  const { refresh, signOut } = useSession();
  return (
    <main className="login">
      <h1>taskinbox</h1>
      <p>
        Welcome, <span className="break">{session.email}</span>. You signed in with a generated password: choose your own
        before you go on.
      </p>
      <PasswordForm
        title="Choose your password"
        current
        submitLabel="Save and continue"
        busyLabel="Saving…"
        onSubmit={async (passwords) => {
          await answer(api.POST('/api/auth/password', { body: passwords }));
          await refresh();
        }}
      />
      <button type="button" className="link" onClick={() => void signOut()}>
        Sign out
      </button>
    </main>
  );
}
