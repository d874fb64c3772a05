import { useId, useState } from 'react';
import type { Member, Priority, TaskDetail } from '../api/api.types';
import { useMembers } from '../session/members.query';
import { assigneeId } from './task-assignee.format';
import { dueDay } from './task.format';

// The fields a person gives a task by hand, shared by "New task" and "Edit task". Limits are the
// API's (libs/ingest task.dto.ts), so the browser refuses what the server would.

export const priorities: Priority[] = ['low', 'normal', 'high', 'urgent'];

/** The form's state: text as typed, so half-typed input is never lost or reformatted. */
export interface TaskDraft {
  title: string;
  description: string;
  dueDate: string;
  dueTime: string;
  priority: Priority | '';
  tags: string;
  assignees: string[];
  customerRef: string;
  projectRef: string;
  milestoneRef: string;
  private: boolean;
}

export const emptyDraft: TaskDraft = {
  title: '',
  description: '',
  dueDate: '',
  dueTime: '',
  priority: '',
  tags: '',
  assignees: [],
  customerRef: '',
  projectRef: '',
  milestoneRef: '',
  private: false,
};

/** A task's details as the form shows them. */
export function draftOf(task: TaskDetail): TaskDraft {
  const dateOnly = task.dueAt !== null && /T00:00:00(\.0+)?(Z|\+00:00)$/.test(task.dueAt);
  const due = task.dueAt ? new Date(task.dueAt) : null;
  return {
    title: task.title,
    description: task.description ?? '',
    dueDate: task.dueAt ? dueDay(task.dueAt) : '',
    dueTime:
      due && !dateOnly ? `${String(due.getHours()).padStart(2, '0')}:${String(due.getMinutes()).padStart(2, '0')}` : '',
    priority: task.priority ?? '',
    tags: task.tags.join(', '),
    assignees: task.assignees.map(assigneeId),
    customerRef: task.customerRef ?? '',
    projectRef: task.projectRef ?? '',
    milestoneRef: task.milestoneRef ?? '',
    private: task.private,
  };
}

/** The API's fields for a draft; cleared fields are null (PATCH) or left out (create). */
export interface TaskDetailsBody {
  title: string;
  description: string | null;
  dueAt: string | null;
  priority: Priority | null;
  tags: string[];
  assignees: string[];
  customerRef: string | null;
  projectRef: string | null;
  milestoneRef: string | null;
  private: boolean;
}

export function bodyOf(draft: TaskDraft): TaskDetailsBody {
  const text = (value: string) => value.trim() || null;
  return {
    title: draft.title.trim(),
    description: text(draft.description),
    // A date alone means that calendar day wherever the reader is (stored as midnight UTC);
    // with a time it is that moment here, sent with its offset.
    dueAt: !draft.dueDate
      ? null
      : draft.dueTime
        ? new Date(`${draft.dueDate}T${draft.dueTime}`).toISOString()
        : draft.dueDate,
    priority: draft.priority || null,
    tags: tagsOf(draft.tags),
    assignees: draft.assignees,
    customerRef: text(draft.customerRef),
    projectRef: text(draft.projectRef),
    milestoneRef: text(draft.milestoneRef),
    private: draft.private,
  };
}

/** "vip, refund,  vip" → ['vip', 'refund']. */
export const tagsOf = (text: string): string[] => [
  ...new Set(
    text
      .split(',')
      .map((tag) => tag.trim())
      .filter(Boolean),
  ),
];

/** Only what differs from the task: an edit names the fields it changed (and the timeline says so). */
export function changesOf(draft: TaskDraft, task: TaskDetail): Partial<TaskDetailsBody> {
  const next = bodyOf(draft);
  const before = bodyOf(draftOf(task));
  const changes: Partial<Record<keyof TaskDetailsBody, unknown>> = {};
  for (const key of Object.keys(next) as (keyof TaskDetailsBody)[])
    if (JSON.stringify(next[key]) !== JSON.stringify(before[key])) changes[key] = next[key];
  return changes as Partial<TaskDetailsBody>;
}

export function TaskDetailsFields({ draft, onChange }: { draft: TaskDraft; onChange(next: TaskDraft): void }) {
  const set = <Key extends keyof TaskDraft>(key: Key, value: TaskDraft[Key]) => onChange({ ...draft, [key]: value });
  const hint = useId();
  return (
    <>
      <label>
        Title
        <input
          name="title"
          value={draft.title}
          required
          maxLength={200}
          pattern=".*\S.*"
          title="What needs doing, in a few words"
          onChange={(event) => set('title', event.target.value)}
        />
      </label>
      <label>
        Description <span className="muted">(optional)</span>
        <textarea
          name="description"
          value={draft.description}
          maxLength={10000}
          rows={4}
          onChange={(event) => set('description', event.target.value)}
        />
      </label>
      <div className="task-form-pair">
        <label>
          Due date <span className="muted">(optional)</span>
          <input
            type="date"
            name="dueDate"
            value={draft.dueDate}
            min="2000-01-01"
            max="2999-12-31"
            onChange={(event) =>
              onChange({ ...draft, dueDate: event.target.value, dueTime: event.target.value ? draft.dueTime : '' })
            }
          />
        </label>
        <label>
          Due time <span className="muted">(optional)</span>
          <input
            type="time"
            name="dueTime"
            value={draft.dueTime}
            disabled={!draft.dueDate}
            onChange={(event) => set('dueTime', event.target.value)}
          />
        </label>
      </div>
      <label>
        Priority
        <select
          name="priority"
          value={draft.priority}
          onChange={(event) => set('priority', event.target.value as Priority | '')}
        >
          <option value="">None</option>
          {priorities.map((priority) => (
            <option key={priority} value={priority}>
              {priority[0].toUpperCase() + priority.slice(1)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Tags <span className="muted">(optional)</span>
        <input
          name="tags"
          value={draft.tags}
          aria-describedby={hint}
          placeholder="e.g. vip, refund"
          onChange={(event) => set('tags', event.target.value)}
        />
        <span id={hint} className="muted task-form-hint">
          Separate tags with commas; up to 20, each at most 50 characters.
        </span>
      </label>
      <AssigneesField value={draft.assignees} onChange={(assignees) => set('assignees', assignees)} />
      <fieldset className="task-form-refs">
        <legend>Context</legend>
        <label>
          Customer <span className="muted">(optional)</span>
          <input
            name="customerRef"
            value={draft.customerRef}
            maxLength={200}
            placeholder="e.g. ACME-42"
            onChange={(event) => set('customerRef', event.target.value)}
          />
        </label>
        <label>
          Project <span className="muted">(optional)</span>
          <input
            name="projectRef"
            value={draft.projectRef}
            maxLength={200}
            placeholder="e.g. website-relaunch"
            onChange={(event) => set('projectRef', event.target.value)}
          />
        </label>
        <label>
          Milestone <span className="muted">(optional)</span>
          <input
            name="milestoneRef"
            value={draft.milestoneRef}
            maxLength={200}
            placeholder="e.g. 2027-q1"
            onChange={(event) => set('milestoneRef', event.target.value)}
          />
        </label>
      </fieldset>
      <label className="check">
        <input type="checkbox" checked={draft.private} onChange={(event) => set('private', event.target.checked)} />
        Private: hidden from end users
      </label>
    </>
  );
}

const searchFrom = 8;

/**
 * The organisation's people as checkboxes (stored as user ids); a search box once the list is
 * long. Assignees the sender named some other way (an e-mail) stay listed until unticked.
 */
export function AssigneesField({ value, onChange }: { value: string[]; onChange(next: string[]): void }) {
  const members = useMembers();
  const [search, setSearch] = useState('');
  const people: Member[] = (members.data ?? []).filter((member) => !member.blocked || value.includes(member.id));
  const known = new Set(people.map((member) => member.id));
  const others = value.filter((who) => !known.has(who));
  const words = search.trim().toLowerCase();
  const shown = words
    ? people.filter(
        (member) => `${member.name} ${member.email}`.toLowerCase().includes(words) || value.includes(member.id),
      )
    : people;
  const toggle = (id: string, on: boolean) => onChange(on ? [...value, id] : value.filter((other) => other !== id));
  return (
    <fieldset className="task-form-assignees">
      <legend>Assignees</legend>
      {members.isPending && <p className="muted">Loading people…</p>}
      {members.isError && <p className="error">The list of people could not be loaded.</p>}
      {people.length >= searchFrom && (
        <label>
          <span className="visually-hidden">Find a person</span>
          <input
            type="search"
            placeholder="Find a person"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
        </label>
      )}
      <div className="task-form-people">
        {shown.map((member) => (
          <label key={member.id} className="check">
            <input
              type="checkbox"
              checked={value.includes(member.id)}
              onChange={(event) => toggle(member.id, event.target.checked)}
            />
            <span>
              {member.name || member.email}
              {member.name && <span className="muted"> · {member.email}</span>}
            </span>
          </label>
        ))}
        {others.map((who) => (
          <label key={who} className="check">
            <input type="checkbox" checked onChange={() => toggle(who, false)} />
            {who}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
