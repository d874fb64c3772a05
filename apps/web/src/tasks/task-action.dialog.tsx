import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { RESOLUTION_MAX_LENGTH } from '@taskinbox/domain';
import './task-action.dialog.css';

// The dialogs that ask what a status change needs (a resolution, a reason): one set for the
// task page and the inbox board.

const noteMaxLength = 2000;
const commonResolutions = ['accepted', 'rejected', 'done'];

export function ActionDialog({ title, onClose, children }: { title: string; onClose(): void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const headingId = useId();
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      dialog?.close();
      // By now the dialog is out of the document, so the browser no longer returns focus itself.
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className="task-dialog"
      aria-labelledby={headingId}
      // Escape: unmount at once rather than on the later close event, which a quick reopen would race.
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      // Closed some other way. Not after unmounting or when shown again (React's development re-run of effects).
      onClose={(event) => event.currentTarget === ref.current && !event.currentTarget.open && onClose()}
    >
      <h2 id={headingId}>{title}</h2>
      {children}
    </dialog>
  );
}

export function CompleteForm({
  busy,
  onClose,
  onSubmit,
}: {
  busy: boolean;
  onClose(): void;
  onSubmit(body: { resolution: string; note?: string }): void;
}) {
  const [choice, setChoice] = useState('');
  const [other, setOther] = useState('');
  const [note, setNote] = useState('');
  const name = useId();

  function submit(event: FormEvent) {
    event.preventDefault();
    const resolution = (choice === 'other' ? other : choice).trim();
    if (!resolution) return;
    onSubmit({ resolution, ...(note.trim() ? { note: note.trim() } : {}) });
  }

  return (
    <form className="stack" onSubmit={submit}>
      <fieldset className="resolution-choices">
        <legend>Resolution</legend>
        {[...commonResolutions, 'other'].map((value) => (
          <label key={value} className="check">
            <input
              type="radio"
              name={name}
              value={value}
              required
              checked={choice === value}
              onChange={() => setChoice(value)}
            />
            {value === 'other' ? 'Other…' : value[0].toUpperCase() + value.slice(1)}
          </label>
        ))}
      </fieldset>
      {choice === 'other' && (
        <label>
          Other resolution
          <input
            value={other}
            required
            autoFocus
            maxLength={RESOLUTION_MAX_LENGTH}
            pattern=".*\S.*"
            title="A word or two, e.g. refunded"
            onChange={(event) => setOther(event.target.value)}
          />
        </label>
      )}
      <label>
        Note <span className="muted">(optional)</span>
        <textarea value={note} maxLength={noteMaxLength} rows={3} onChange={(event) => setNote(event.target.value)} />
      </label>
      <DialogButtons submitLabel={busy ? 'Completing…' : 'Complete task'} busy={busy} onClose={onClose} />
    </form>
  );
}

export function ReasonForm({
  intro,
  submitLabel,
  danger = false,
  busy,
  onClose,
  onSubmit,
}: {
  intro: string;
  submitLabel: string;
  danger?: boolean;
  busy: boolean;
  onClose(): void;
  onSubmit(reason: string): void;
}) {
  const [reason, setReason] = useState('');
  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit(reason.trim());
  }
  return (
    <form className="stack" onSubmit={submit}>
      <p className="muted">{intro}</p>
      <label>
        Reason <span className="muted">(optional)</span>
        <textarea
          value={reason}
          maxLength={noteMaxLength}
          rows={3}
          autoFocus
          onChange={(event) => setReason(event.target.value)}
        />
      </label>
      <DialogButtons submitLabel={submitLabel} danger={danger} busy={busy} onClose={onClose} />
    </form>
  );
}

export function DialogButtons({
  submitLabel,
  danger = false,
  busy,
  onClose,
}: {
  submitLabel: string;
  danger?: boolean;
  busy: boolean;
  onClose(): void;
}) {
  return (
    <div className="row dialog-buttons">
      <button type="button" className="button" onClick={onClose}>
        Close
      </button>
      <button type="submit" className={`button ${danger ? 'danger' : 'primary'}`} disabled={busy}>
        {submitLabel}
      </button>
    </div>
  );
}
