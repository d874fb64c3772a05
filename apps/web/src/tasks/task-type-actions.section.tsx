import { type FormEvent, useId, useState } from 'react';
import type { TaskDetail } from '../api/api.types';
import { useSignedIn } from '../session/session.context';
import type { ArgsSchema, TypeAction } from '../task-types/task-type.queries';
import { ActionDialog, DialogButtons } from './task-action.dialog';
import { useTaskCommand } from './task.queries';

/**
 * The custom actions of the task's type that the viewer's role may run: one button each; a
 * dialog asks for the arguments the task does not supply, and the action's confirm question.
 * The call runs in the background; its outcome appears on the timeline.
 */
export function TaskTypeActions({ task, actions }: { task: TaskDetail; actions: TypeAction[] | undefined }) {
  const { role } = useSignedIn();
  const command = useTaskCommand(task.id);
  const [open, setOpen] = useState<TypeAction | null>(null);
  const headingId = useId();
  const mine = (actions ?? []).filter((action) => action.roles.includes(role));
  if (mine.length === 0) return null;

  const run = (action: TypeAction, args: Record<string, unknown>) =>
    command.mutate(
      { path: `actions/${action.key}`, body: { args }, done: `${action.label}: requested. The outcome shows on the timeline.` },
      { onSuccess: () => setOpen(null) },
    );

  return (
    <section className="card task-section" aria-labelledby={headingId}>
      <h2 id={headingId}>Actions</h2>
      <div className="task-type-actions">
        {mine.map((action) => (
          <button
            key={action.key}
            type="button"
            className="button"
            disabled={command.isPending}
            onClick={() => (action.confirm || askedArgs(action).length > 0 ? setOpen(action) : run(action, {}))}
          >
            {action.label}
          </button>
        ))}
      </div>
      {open && (
        <ActionDialog title={open.label} onClose={() => setOpen(null)}>
          <ArgsForm action={open} busy={command.isPending} onClose={() => setOpen(null)} onSubmit={(args) => run(open, args)} />
        </ActionDialog>
      )}
    </section>
  );
}

/** The arguments a person gives: the schema's top-level properties that argsFrom does not fill. */
function askedArgs(action: TypeAction): [string, { type?: string; title?: string; description?: string }][] {
  return Object.entries((action.argsSchema as ArgsSchema | undefined)?.properties ?? {}).filter(([name]) => !(action.argsFrom ?? {})[name]);
}

function ArgsForm({
  action,
  busy,
  onClose,
  onSubmit,
}: {
  action: TypeAction;
  busy: boolean;
  onClose(): void;
  onSubmit(args: Record<string, unknown>): void;
}) {
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const asked = askedArgs(action);
  const required = new Set((action.argsSchema as ArgsSchema | undefined)?.required ?? []);

  function submit(event: FormEvent) {
    event.preventDefault();
    const args: Record<string, unknown> = {};
    for (const [name, property] of asked) {
      const value = values[name];
      if (value === undefined || value === '') continue;
      args[name] = property.type === 'number' || property.type === 'integer' ? Number(value) : value;
    }
    onSubmit(args);
  }

  return (
    <form className="stack" onSubmit={submit}>
      {action.confirm && <p>{action.confirm}</p>}
      {asked.map(([name, property]) =>
        property.type === 'boolean' ? (
          <label key={name} className="check">
            <input type="checkbox" checked={values[name] === true} onChange={(event) => setValues({ ...values, [name]: event.target.checked })} />
            {property.title ?? name}
          </label>
        ) : (
          <label key={name}>
            {property.title ?? name}
            {!required.has(name) && <span className="muted"> (optional)</span>}
            <input
              type={property.type === 'number' || property.type === 'integer' ? 'number' : 'text'}
              step={property.type === 'integer' ? 1 : 'any'}
              required={required.has(name)}
              value={String(values[name] ?? '')}
              onChange={(event) => setValues({ ...values, [name]: event.target.value })}
            />
            {property.description && <span className="muted">{property.description}</span>}
          </label>
        ),
      )}
      <DialogButtons submitLabel={busy ? 'Running…' : 'Run'} busy={busy} onClose={onClose} />
    </form>
  );
}
