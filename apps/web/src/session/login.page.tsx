import { type FormEvent, useState } from 'react';
import { describeError } from '../api/api.client';
import type { Organisation } from '../api/api.types';
import { useSession } from './session.context';

/** Sign in; a member of several organisations then picks one. */
export function LoginPage() {
  const { logIn } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [choices, setChoices] = useState<Organisation[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent, organisationId?: string) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setChoices(await logIn(email, password, organisationId));
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <h1>taskinbox</h1>
      {choices ? (
        <section aria-labelledby="pick-org">
          <h2 id="pick-org">Choose an organisation</h2>
          <ul className="org-list">
            {choices.map((organisation) => (
              <li key={organisation.id}>
                <button
                  type="button"
                  className="button wide"
                  disabled={busy}
                  onClick={(event) => submit(event, organisation.id)}
                >
                  {organisation.name} <span className="muted">({organisation.role})</span>
                </button>
              </li>
            ))}
          </ul>
          <button type="button" className="link" onClick={() => setChoices(null)}>
            Use another account
          </button>
        </section>
      ) : (
        <form onSubmit={(event) => submit(event)} className="stack">
          <label>
            Email
            <input
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
          </label>
          <label>
            Password
            <input
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
          </label>
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
          <p className="muted">Forgot your password? An administrator of your organisation can give you a reset link.</p>
        </form>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </main>
  );
}
