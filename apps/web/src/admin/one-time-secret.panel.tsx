import { type ReactNode, useEffect, useId, useRef, useState } from 'react';

/**
 * A secret the API returns once (webhook signing secret, API key). It lives only in the
 * parent's state: never stored, never logged, gone on dismiss or reload.
 */
export function OneTimeSecret({
  title,
  label,
  value,
  children,
  onDismiss,
}: {
  title: string;
  label: string;
  value: string;
  children?: ReactNode;
  onDismiss: () => void;
}) {
  const titleId = useId();
  const panel = useRef<HTMLElement>(null);
  const field = useRef<HTMLInputElement>(null);
  const [copyNote, setCopyNote] = useState('');

  // Moved here so keyboard and screen-reader users land on the secret they must copy now.
  useEffect(() => panel.current?.focus(), []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopyNote('Copied to the clipboard.');
    } catch {
      field.current?.select();
      setCopyNote('This browser did not allow copying: the text is selected, press Ctrl+C (⌘C on a Mac).');
    }
  }

  return (
    <section ref={panel} tabIndex={-1} className="card one-time-secret" aria-labelledby={titleId}>
      <h3 id={titleId}>{title}</h3>
      <p>
        <strong>Copy it now: you will not see it again.</strong> It is not stored anywhere you can read it later.
      </p>
      <label>
        {label}
        <input
          ref={field}
          readOnly
          value={value}
          spellCheck={false}
          className="secret-value"
          onFocus={(event) => event.target.select()}
        />
      </label>
      {children}
      <div className="row">
        <button type="button" className="button primary" onClick={copy}>
          Copy
        </button>
        <button type="button" className="button" onClick={onDismiss}>
          I have saved it, hide it
        </button>
        <span role="status" className="muted">
          {copyNote}
        </span>
      </div>
    </section>
  );
}
