import type Form from '@rjsf/core/lib/components/Form.js';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { Schema } from '@taskinbox/client';
import { answer, api, describeError } from '../api/api.client';
import { useNotify } from '../layout/notices.context';
import { expectTaskVersion } from '../live/read-your-writes.store';
import { PayloadFields } from '../task-types/payload.form';
import { type TaskTemplate, type TaskTypeVersion, useTaskTypes, useTemplates } from '../task-types/task-type.queries';
import { bodyOf, emptyDraft, type TaskDetailsBody, type TaskDraft, TaskDetailsFields } from './task-details.form';
import './task-form.css';

const typePattern = '[a-z0-9][a-z0-9._\\-]{0,63}';

/** A template's details as the form's starting point; its due offset is the server's to apply. */
function draftFromTemplate(template: TaskTemplate): TaskDraft {
  return {
    ...emptyDraft,
    title: template.title,
    description: template.description ?? '',
    priority: template.priority ?? '',
    tags: (template.tags ?? []).join(', '),
    assignees: (template.assignees ?? []).flatMap((assignee) => (assignee.id ? [assignee.id] : [])),
    customerRef: template.customerRef ?? '',
    projectRef: template.projectRef ?? '',
    milestoneRef: template.milestoneRef ?? '',
  };
}

/**
 * A task made by hand, blank or from a template: what it is, when it is due, who should do it,
 * and, for a registered type, its payload through a form generated from the type's schema.
 * `?template=<id>` opens with that template chosen (a link that can be shared).
 */
export function NewTaskPage() {
  const [search, setSearch] = useSearchParams();
  const templates = useTemplates();
  const types = useTaskTypes();
  const templateId = search.get('template') ?? '';
  const template = templates.data?.find((candidate) => candidate.id === templateId);
  const ready = !templateId || templates.isFetched;

  return (
    <div className="task-form-page">
      <Link to="/" className="task-back">
        <span aria-hidden="true">←</span>Inbox
      </Link>
      <h1>New task</h1>
      {(templates.data?.length ?? 0) > 0 && (
        <label className="card task-form-template">
          Start from
          <select
            name="template"
            value={template ? template.id : ''}
            onChange={(event) => setSearch(event.target.value ? { template: event.target.value } : {}, { replace: true })}
          >
            <option value="">A blank task</option>
            {templates.data?.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                Template: {candidate.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {/* A fresh form per template: its defaults replace whatever was typed for another one. */}
      {ready && <NewTaskForm key={template?.id ?? 'blank'} template={template} types={types.data ?? []} />}
    </div>
  );
}

function NewTaskForm({ template, types }: { template?: TaskTemplate; types: TaskTypeVersion[] }) {
  const [draft, setDraft] = useState<TaskDraft>(() => (template ? draftFromTemplate(template) : emptyDraft));
  const [type, setType] = useState(template?.type ?? 'task');
  const [payload, setPayload] = useState<Record<string, unknown>>(template?.payload ?? {});
  const payloadForm = useRef<Form | null>(null);
  const typeList = useId();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const notify = useNotify();
  const key = type.trim();
  const known = types.some((candidate) => candidate.key === key);
  // The latest version's schema: the one the server checks a new task against.
  const typeVersion = useQuery({
    queryKey: ['task-type', key, 'latest'],
    queryFn: () => answer(api.GET('/api/task-types/{key}', { params: { path: { key } } })),
    enabled: known,
    staleTime: 60_000,
  });
  const schema = known ? typeVersion.data?.schema : undefined;

  const create = useMutation({
    mutationFn: () => {
      const details = withoutEmpty(bodyOf(draft));
      const withPayload = schema || Object.keys(payload).length > 0 ? { ...details, payload } : details;
      return answer(
        template
          ? api.POST('/api/templates/{id}/tasks', { params: { path: { id: template.id } }, body: withPayload })
          : api.POST('/api/tasks', { body: { type: key, ...withPayload } }),
      );
    },
    onSuccess: async (task) => {
      expectTaskVersion(task.id, task.version);
      await queries.invalidateQueries({ queryKey: ['inbox'] });
      notify('Task created.', 'success');
      void navigate(`/tasks/${task.id}`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // The payload form shows its own errors beside the fields; the server checks again.
    if (schema && !payloadForm.current?.validateForm()) return;
    if (!create.isPending) create.mutate();
  };

  return (
    <form className="card stack task-form" onSubmit={submit} aria-label="New task">
      {template ? (
        <p className="muted task-form-hint">
          Type <strong>{template.type}</strong>
          {template.dueOffset ? `, due ${readableDuration(template.dueOffset)} after creation unless you set a date` : ''}
          {template.status === 'waiting' ? ', starts waiting' : ''}.
        </p>
      ) : (
        <label>
          Type
          <input
            name="type"
            value={type}
            required
            maxLength={64}
            pattern={typePattern}
            list={typeList}
            title="Lower-case letters, digits, dots, dashes or underscores, e.g. refund.request"
            onChange={(event) => setType(event.target.value)}
          />
          <datalist id={typeList}>
            {types.map((candidate) => (
              <option key={candidate.key} value={candidate.key}>
                {candidate.name}
              </option>
            ))}
          </datalist>
        </label>
      )}
      {/* What the type asks for comes first: for a typed task it is what the person is here to fill in. */}
      {schema && (
        <section aria-label="Payload" className="stack">
          <h2 className="task-form-section">{typeVersion.data?.name ?? key}</h2>
          <PayloadFields schema={schema} uiSchema={typeVersion.data?.uiSchema} value={payload} onChange={setPayload} formRef={payloadForm} />
        </section>
      )}
      <TaskDetailsFields draft={draft} onChange={setDraft} />
      {create.isError && (
        <p role="alert" className="error">
          {describeError(create.error)}
        </p>
      )}
      <div className="row task-form-buttons">
        <Link to="/" className="button">
          Discard
        </Link>
        <button type="submit" className="button primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create task'}
        </button>
      </div>
    </form>
  );
}

/** An ISO 8601 duration as people say it: `P3D` → "3 days", `PT4H` → "4 hours"; anything else as written. */
export function readableDuration(iso: string): string {
  const match = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(iso);
  if (!match) return iso;
  const parts = (['week', 'day', 'hour', 'minute'] as const)
    .map((unit, index) => [Number(match[index + 1] ?? 0), unit] as const)
    .filter(([count]) => count > 0)
    .map(([count, unit]) => `${count} ${unit}${count === 1 ? '' : 's'}`);
  return parts.length > 0 ? parts.join(' ') : iso;
}

/** A new task leaves out what the person left empty (null is for clearing an existing field). */
// Without its nulls, empty lists and false, a draft's body is what creating a task takes.
const withoutEmpty = (body: TaskDetailsBody) =>
  Object.fromEntries(
    Object.entries(body).filter(
      ([, value]) => value !== null && !(Array.isArray(value) && value.length === 0) && value !== false,
    ),
  ) as Omit<Schema<'CreateTaskDto'>, 'type'>;
