import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { RESOLUTION_MAX_LENGTH } from '@taskinbox/domain';
import type { TaskDetail } from '../api/api.types';
import { useClaimTask } from './task-claim';
import { type TaskCommand, useTaskCommand } from './task.queries';

type Form = 'complete' | 'hold' | 'cancel';

const noteMaxLength = 2000;
const commonResolutions = ['accepted', 'rejected', 'done'];

/**
 * The status changes the server would accept from the viewer now, and nothing else. On phones
 * the bar sits fixed at the bottom of the screen (task.css), so it is reachable from anywhere.
 */
export function TaskActions({ task }: { task: TaskDetail }) {
  const { claim, claiming } = useClaimTask();
  const command = useTaskCommand(task.id);
  const [form, setForm] = useState<Form | null>(null);
  const allowed = new Set(task.allowedActions);
  // A form closes by itself when its action stops being possible (someone else changed the task),
  // and must not pop up again should the action come back.
  if (form && !allowed.has(form)) setForm(null);
  const busy = command.isPending || claiming === task.id;
  const running = claiming === task.id ? 'claim' : command.isPending ? command.variables?.path : undefined;

  const run = (change: TaskCommand) => command.mutate(change, { onSuccess: () => setForm(null) });

  const buttons: { action: string; label: string; busyLabel?: string; className?: string; onClick(): void }[] = [];
  if (allowed.has('claim'))
    buttons.push({ action: 'claim', label: 'Start task', busyLabel: 'Starting…', className: 'primary', onClick: () => void claim(task) });
  if (allowed.has('complete')) buttons.push({ action: 'complete', label: 'Complete…', className: 'primary', onClick: () => setForm('complete') });
  if (allowed.has('resume'))
    buttons.push({
      action: 'resume',
      label: 'Resume',
      busyLabel: 'Resuming…',
      className: 'primary',
      onClick: () => run({ path: 'resume', done: 'Task resumed.' }),
    });
  if (allowed.has('release'))
    buttons.push({
      action: 'release',
      label: 'Release',
      busyLabel: 'Releasing…',
      onClick: () => run({ path: 'release', done: 'Task released: it is open for anyone again.' }),
    });
  if (allowed.has('hold')) buttons.push({ action: 'hold', label: 'Wait…', onClick: () => setForm('hold') });
  if (allowed.has('cancel')) buttons.push({ action: 'cancel', label: 'Cancel task…', className: 'danger', onClick: () => setForm('cancel') });

  if (buttons.length === 0) return null;
  return (
    <section className="task-actions" aria-label="Actions">
      <div className="task-action-buttons">
        {buttons.map((button) => (
          <button key={button.action} type="button" className={`button ${button.className ?? ''}`} disabled={busy} onClick={button.onClick}>
            {(running === button.action && button.busyLabel) || button.label}
          </button>
        ))}
      </div>
      {form === 'complete' && (
        <ActionDialog title="Complete the task" onClose={() => setForm(null)}>
          <CompleteForm busy={busy} onClose={() => setForm(null)} onSubmit={(body) => run({ path: 'complete', body, done: 'Task completed.' })} />
        </ActionDialog>
      )}
      {form === 'hold' && (
        <ActionDialog title="Wait" onClose={() => setForm(null)}>
          <ReasonForm
            intro="The task moves to Waiting until someone resumes it."
            submitLabel="Wait"
            busy={busy}
            onClose={() => setForm(null)}
            onSubmit={(reason) => run({ path: 'hold', body: reason ? { reason } : {}, done: 'Task is waiting.' })}
          />
        </ActionDialog>
      )}
      {form === 'cancel' && (
        <ActionDialog title="Cancel the task?" onClose={() => setForm(null)}>
          <ReasonForm
            intro="A cancelled task cannot be reopened."
            submitLabel="Cancel task"
            danger
            busy={busy}
            onClose={() => setForm(null)}
            onSubmit={(reason) => run({ path: 'cancel', body: reason ? { reason } : {}, done: 'Task cancelled.' })}
          />
        </ActionDialog>
      )}
    </section>
  );
}

/** A modal dialog (focus stays inside, Escape closes, focus returns after); a sheet from the bottom on phones. */
function ActionDialog({ title, onClose, children }: { title: string; onClose(): void; children: ReactNode }) {
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

function CompleteForm({ busy, onClose, onSubmit }: { busy: boolean; onClose(): void; onSubmit(body: { resolution: string; note?: string }): void }) {
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
            <input type="radio" name={name} value={value} required checked={choice === value} onChange={() => setChoice(value)} />
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

function ReasonForm({
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
        <textarea value={reason} maxLength={noteMaxLength} rows={3} autoFocus onChange={(event) => setReason(event.target.value)} />
      </label>
      <DialogButtons submitLabel={submitLabel} danger={danger} busy={busy} onClose={onClose} />
    </form>
  );
}

function DialogButtons({ submitLabel, danger = false, busy, onClose }: { submitLabel: string; danger?: boolean; busy: boolean; onClose(): void }) {
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
