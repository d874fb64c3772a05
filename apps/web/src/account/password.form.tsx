import { type FormEvent, useId, useState } from 'react';
import { describeError } from '../api/api.client';

/**
 * A new password typed twice: at least 10 characters, the two must match. `current` adds the
 * field for the password in use. The parent does the saving and reports its own errors.
 */
export function PasswordForm({
  title,
  current = false,
  submitLabel,
  busyLabel,
  onSubmit,
}: {
  title: string;
  current?: boolean;
  submitLabel: string;
  busyLabel: string;
  onSubmit: (passwords: { currentPassword: string; newPassword: string }) => Promise<void>;
}) {
  const titleId = useId();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (newPassword !== repeated) return setError('The two new passwords differ: type the same one twice.');
    setBusy(true);
    setError(null);
    try {
      await onSubmit({ currentPassword, newPassword });
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card stack" onSubmit={submit} aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      {current && (
        <label>
          Current password
          <input
            type="password"
            autoComplete="current-password"
            required
            maxLength={200}
            value={currentPassword}
            onChange={(event) => setCurrentPassword(event.target.value)}
          />
        </label>
      )}
      <label>
        New password
        <input
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          maxLength={200}
          value={newPassword}
          onChange={(event) => setNewPassword(event.target.value)}
        />
      </label>
      <label>
        New password again
        <input
          type="password"
          autoComplete="new-password"
          required
          minLength={10}
          maxLength={200}
          value={repeated}
          onChange={(event) => setRepeated(event.target.value)}
        />
      </label>
      <p className="muted hint">At least 10 characters. Only you know it: nobody, not even an admin, can read it.</p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? busyLabel : submitLabel}
      </button>
    </form>
  );
}
