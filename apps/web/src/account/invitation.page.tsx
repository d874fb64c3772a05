import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { answer, api, describeError } from '../api/api.client';
import { ErrorState, Loading } from '../layout/load.states';
import { useSession } from '../session/session.context';
import { takeLinkToken } from './link.token';
import './account.css';


// Read once per page load: the token leaves the address bar as soon as it is read.
const token = typeof window === 'undefined' ? '' : window.location.pathname === '/invitation' ? takeLinkToken() : '';

/**
 * Accepting an invitation: someone new chooses a name and a password; someone who already has a
 * taskinbox account joins with the password they have. Either way they are signed in to the organisation.
 */
export function InvitationPage({ onDone }: { onDone: () => void }) {
  const { adopt } = useSession();
  const details = useQuery({
    queryKey: ['invitation', token],
    queryFn: () => answer(api.POST('/api/invitations/lookup', { body: { token } })),
    enabled: token !== '',
    retry: false,
  });
  const [newAccount, setNewAccount] = useState(true);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (newAccount && password !== repeated) return setError('The two passwords differ: type the same one twice.');
    setBusy(true);
    setError(null);
    try {
      const session = await answer(
        api.POST('/api/invitations/accept', { body: { token, newAccount, password, ...(newAccount ? { name } : {}) } }),
      );
      await adopt(session, details.data!.email);
      onDone();
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  }

  let body;
  if (!token) body = <p role="alert">This page needs the whole invitation link, including the part after #.</p>;
  else if (details.isPending) body = <Loading what="the invitation" />;
  else if (details.isError) body = <ErrorState error={details.error} />;
  else {
    const invitation = details.data;
    body = (
      <>
        <p>
          You are invited to <strong>{invitation.organisation.name}</strong> as <strong>{invitation.role}</strong>, with the
          e-mail <span className="break">{invitation.email}</span>.
        </p>
        <fieldset className="choice">
          <legend>Do you have a taskinbox account?</legend>
          <label>
            <input type="radio" name="account" checked={newAccount} onChange={() => setNewAccount(true)} /> I’m new here
          </label>
          <label>
            <input type="radio" name="account" checked={!newAccount} onChange={() => setNewAccount(false)} /> I already have an
            account
          </label>
        </fieldset>
        <form className="stack" onSubmit={submit} aria-label="Accept the invitation">
          {newAccount && (
            <label>
              Your name
              <input required maxLength={200} autoComplete="name" value={name} onChange={(event) => setName(event.target.value)} />
            </label>
          )}
          <label>
            {newAccount ? 'Choose a password' : 'Your password'}
            <input
              type="password"
              required
              minLength={newAccount ? 10 : 1}
              maxLength={200}
              autoComplete={newAccount ? 'new-password' : 'current-password'}
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
          </label>
          {newAccount && (
            <label>
              The same password again
              <input
                type="password"
                required
                minLength={10}
                maxLength={200}
                autoComplete="new-password"
                value={repeated}
                onChange={(event) => setRepeated(event.target.value)}
              />
            </label>
          )}
          <p className="muted hint">
            {newAccount
              ? 'At least 10 characters. Only you know it: nobody, not even an admin, can read it.'
              : 'The password of your existing account; it stays as it is.'}
          </p>
          {error && (
            <p role="alert" className="error">
              {error}
            </p>
          )}
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Joining…' : `Join ${invitation.organisation.name}`}
          </button>
        </form>
      </>
    );
  }
  return (
    <main className="login">
      <h1>taskinbox</h1>
      <h2>Your invitation</h2>
      {body}
    </main>
  );
}
