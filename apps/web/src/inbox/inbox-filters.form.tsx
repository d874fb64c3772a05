import { useEffect, useState } from 'react';
import type { TaskStatus } from '../api/api.types';
import { useMembers } from '../session/members.query';
import { statusLabels, statuses } from '../tasks/task.format';
import { activeFilterCount, type InboxFilters, withoutFilters } from './inbox.filters';

const typingPauseMs = 300;

/** Search always visible; the rest folds away on phones behind "Filters (n)". */
export function InboxFiltersForm({ filters, onChange }: { filters: InboxFilters; onChange(next: InboxFilters): void }) {
  // Typed filters ask the server once typing pauses, not at every key.
  const typedOf = (from: InboxFilters) => ({
    q: from.q,
    type: from.type,
    tag: from.tag,
    customer: from.customer,
    project: from.project,
    milestone: from.milestone,
  });
  const [typed, setTyped] = useState(() => typedOf(filters));
  const [open, setOpen] = useState(false);
  const members = useMembers();
  // A filter set from elsewhere (a customer picked in the table) shows in its box.
  const [shown, setShown] = useState(filters);
  if (shown !== filters) {
    setShown(filters);
    const fromFilters = typedOf(filters);
    const fromShown = typedOf(shown);
    const changedElsewhere = (Object.keys(fromFilters) as (keyof typeof fromFilters)[]).filter(
      (key) => fromFilters[key] !== fromShown[key] && fromFilters[key] !== typed[key],
    );
    if (changedElsewhere.length > 0)
      setTyped({ ...typed, ...Object.fromEntries(changedElsewhere.map((key) => [key, fromFilters[key]])) });
  }
  useEffect(() => {
    const current = typedOf(filters);
    if ((Object.keys(typed) as (keyof typeof typed)[]).every((key) => typed[key] === current[key])) return;
    const timer = setTimeout(() => onChange({ ...filters, ...typed }), typingPauseMs);
    return () => clearTimeout(timer);
  }, [typed, filters, onChange]);

  const toggleStatus = (status: TaskStatus) =>
    onChange({
      ...filters,
      status: filters.status.includes(status)
        ? filters.status.filter((other) => other !== status)
        : [...filters.status, status],
    });
  const count = activeFilterCount(filters);

  return (
    <div className="filters">
      <div className="row">
        <label className="search">
          <span className="visually-hidden">Search tasks</span>
          <input
            type="search"
            placeholder="Search tasks"
            maxLength={200}
            value={typed.q}
            onChange={(event) => setTyped({ ...typed, q: event.target.value })}
          />
        </label>
        <button
          type="button"
          className="button"
          aria-expanded={open}
          aria-controls="more-filters"
          onClick={() => setOpen(!open)}
        >
          Filters{count > 0 ? ` (${count})` : ''}
        </button>
      </div>
      <fieldset id="more-filters" className={`more-filters ${open ? 'open' : ''}`}>
        <legend className="visually-hidden">Filters</legend>
        <div className="checks">
          <label className="check">
            <input
              type="checkbox"
              checked={filters.showCompleted}
              onChange={(event) => onChange({ ...filters, showCompleted: event.target.checked })}
            />
            Show completed
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={filters.mine}
              onChange={(event) => onChange({ ...filters, mine: event.target.checked })}
            />
            Only mine
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={filters.assignedToMe}
              onChange={(event) => onChange({ ...filters, assignedToMe: event.target.checked })}
            />
            Assigned to me
          </label>
        </div>
        <div className="statuses" role="group" aria-label="Status">
          {statuses.map((status) => (
            <button
              key={status}
              type="button"
              className="button small"
              aria-pressed={filters.status.includes(status)}
              onClick={() => toggleStatus(status)}
            >
              {statusLabels[status]}
            </button>
          ))}
        </div>
        <div className="row">
          <label className="grow">
            Assignee
            <select
              value={filters.assignee}
              onChange={(event) => onChange({ ...filters, assignee: event.target.value })}
            >
              <option value="">Anyone</option>
              {(members.data ?? []).map((member) => (
                <option key={member.id} value={member.id}>
                  {member.name || member.email}
                </option>
              ))}
              {filters.assignee && !members.data?.some((member) => member.id === filters.assignee) && (
                <option value={filters.assignee}>{filters.assignee}</option>
              )}
            </select>
          </label>
          <label className="grow">
            Customer
            <input
              value={typed.customer}
              maxLength={200}
              placeholder="e.g. ACME-42"
              onChange={(event) => setTyped({ ...typed, customer: event.target.value })}
            />
          </label>
          <label className="grow">
            Project
            <input
              value={typed.project}
              maxLength={200}
              placeholder="e.g. website-relaunch"
              onChange={(event) => setTyped({ ...typed, project: event.target.value })}
            />
          </label>
          <label className="grow">
            Milestone
            <input
              value={typed.milestone}
              maxLength={200}
              placeholder="e.g. 2027-q1"
              onChange={(event) => setTyped({ ...typed, milestone: event.target.value })}
            />
          </label>
        </div>
        <div className="row">
          <label className="grow">
            Type
            <input
              value={typed.type}
              maxLength={64}
              placeholder="e.g. refund.request"
              onChange={(event) => setTyped({ ...typed, type: event.target.value })}
            />
          </label>
          <label className="grow">
            Tag
            <input
              value={typed.tag}
              maxLength={50}
              placeholder="e.g. vip"
              onChange={(event) => setTyped({ ...typed, tag: event.target.value })}
            />
          </label>
        </div>
        {count > 0 && (
          <button
            type="button"
            className="link"
            onClick={() => {
              setTyped({ ...typed, type: '', tag: '', customer: '', project: '', milestone: '' });
              onChange(withoutFilters(filters));
            }}
          >
            Clear filters
          </button>
        )}
      </fieldset>
    </div>
  );
}
