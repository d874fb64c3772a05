import { useEffect, useState } from 'react';
import type { TaskStatus } from '../api/api.types';
import { statusLabels, statuses } from '../tasks/task.format';
import { activeFilterCount, type InboxFilters } from './inbox.filters';

const typingPauseMs = 300;

/** Search always visible; the rest folds away on phones behind "Filters (n)". */
export function InboxFiltersForm({ filters, onChange }: { filters: InboxFilters; onChange(next: InboxFilters): void }) {
  // Typed filters ask the server once typing pauses, not at every key.
  const [typed, setTyped] = useState({ q: filters.q, type: filters.type, tag: filters.tag });
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (typed.q === filters.q && typed.type === filters.type && typed.tag === filters.tag) return;
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
              setTyped({ ...typed, type: '', tag: '' });
              onChange({
                ...filters,
                showCompleted: false,
                mine: false,
                assignedToMe: false,
                status: [],
                type: '',
                tag: '',
              });
            }}
          >
            Clear filters
          </button>
        )}
      </fieldset>
    </div>
  );
}
