import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { answer, api } from '../api/api.client';
import { ErrorState, Loading } from '../layout/load.states';
import { takeLinkToken } from './link.token';
import { PasswordForm } from './password.form';
import './account.css';

const token = typeof window === 'undefined' ? '' : window.location.pathname === '/reset-password' ? takeLinkToken() : '';

/** A password-reset link: choose a new password once; every session of the account ends. */
export function PasswordResetPage({ onDone }: { onDone: () => void }) {
  const details = useQuery({
    queryKey: ['password-reset', token],
    queryFn: () => answer(api.POST('/api/password-resets/lookup', { body: { token } })),
    enabled: token !== '',
    retry: false,
  });
  const [done, setDone] = useState(false);

  let body;
  if (!token) body = <p role="alert">This page needs the whole reset link, including the part after #.</p>;
  else if (done) {
    body = (
      <>
        <p role="status">Your password is set. Every earlier session of your account has been signed out.</p>
        <button type="button" className="button primary" onClick={onDone}>
          Sign in
        </button>
      </>
    );
  } else if (details.isPending) body = <Loading what="the reset link" />;
  else if (details.isError) body = <ErrorState error={details.error} />;
  else {
    body = (
      <>
        <p>
          A new password for <span className="break">{details.data.email}</span>.
        </p>
        <PasswordForm
          title="Choose a new password"
          submitLabel="Set password"
          busyLabel="Setting…"
          onSubmit={async ({ newPassword }) => {
            await answer(api.POST('/api/password-resets/complete', { body: { token, password: newPassword } }));
            setDone(true);
          }}
        />
      </>
    );
  }
  return (
    <main className="login">
      <h1>taskinbox</h1>
      {body}
    </main>
  );
}
