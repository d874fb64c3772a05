import { useState } from 'react';
import type { TaskDetail } from '../api/api.types';
import { ActionDialog, CompleteForm, ReasonForm } from './task-action.dialog';
import { useClaimTask } from './task-claim.mutation';
import { type TaskCommand, useTaskCommand } from './task.queries';

type Form = 'complete' | 'hold' | 'cancel';

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
    buttons.push({
      action: 'claim',
      label: 'Start task',
      busyLabel: 'Starting…',
      className: 'primary',
      onClick: () => void claim(task),
    });
  if (allowed.has('complete'))
    buttons.push({ action: 'complete', label: 'Complete…', className: 'primary', onClick: () => setForm('complete') });
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
  if (allowed.has('cancel'))
    buttons.push({ action: 'cancel', label: 'Cancel task…', className: 'danger', onClick: () => setForm('cancel') });

  if (buttons.length === 0) return null;
  return (
    <section className="task-actions" aria-label="Actions">
      <div className="task-action-buttons">
        {buttons.map((button) => (
          <button
            key={button.action}
            type="button"
            className={`button ${button.className ?? ''}`}
            disabled={busy}
            onClick={button.onClick}
          >
            {(running === button.action && button.busyLabel) || button.label}
          </button>
        ))}
      </div>
      {form === 'complete' && (
        <ActionDialog title="Complete the task" onClose={() => setForm(null)}>
          <CompleteForm
            busy={busy}
            onClose={() => setForm(null)}
            onSubmit={(body) => run({ path: 'complete', body, done: 'Task completed.' })}
          />
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
