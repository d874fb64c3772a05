import { useEffect, useState } from 'react';
import type { TaskStatus } from '../api/api.types';
import { statusLabels, statuses } from '../tasks/task.format';
import { activeFilterCount, type InboxFilters } from './inbox.filters';

const searchDelayMs = 300;

/** Search always visible; the rest folds away on phones behind "Filters (n)". */
export function InboxFiltersForm({ filters, onChange }: { filters: InboxFilters; onChange(next: InboxFilters): void }) {
  const [q, setQ] = useState(filters.q);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (q === filters.q) return;
    const timer = setTimeout(() => onChange({ ...filters, q }), searchDelayMs);
    return () => clearTimeout(timer);
  }, [q, filters, onChange]);

  const toggleStatus = (status: TaskStatus) =>
    onChange({
      ...filters,
      status: filters.status.includes(status) ? filters.status.filter((other) => other !== status) : [...filters.status, status],
    });
  const count = activeFilterCount(filters);

  return (
    <div className="filters">
      <div className="row">
        <label className="search">
          <span className="visually-hidden">Search tasks</span>
          <input type="search" placeholder="Search tasks" value={q} onChange={(event) => setQ(event.target.value)} />
        </label>
        <button type="button" className="button" aria-expanded={open} aria-controls="more-filters" onClick={() => setOpen(!open)}>
          Filters{count > 0 ? ` (${count})` : ''}
        </button>
      </div>
      <fieldset id="more-filters" className={`more-filters ${open ? 'open' : ''}`}>
        <legend className="visually-hidden">Filters</legend>
        <div className="checks">
          <label className="check">
            <input type="checkbox" checked={filters.showCompleted} onChange={(event) => onChange({ ...filters, showCompleted: event.target.checked })} />
            Show completed
          </label>
          <label className="check">
            <input type="checkbox" checked={filters.mine} onChange={(event) => onChange({ ...filters, mine: event.target.checked })} />
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
            <input value={filters.type} placeholder="e.g. refund.request" onChange={(event) => onChange({ ...filters, type: event.target.value })} />
          </label>
          <label className="grow">
            Tag
            <input value={filters.tag} placeholder="e.g. vip" onChange={(event) => onChange({ ...filters, tag: event.target.value })} />
          </label>
        </div>
        {count > 0 && (
          <button
            type="button"
            className="link"
            onClick={() => onChange({ ...filters, showCompleted: false, mine: false, assignedToMe: false, status: [], type: '', tag: '' })}
          >
            Clear filters
          </button>
        )}
      </fieldset>
    </div>
  );
}
