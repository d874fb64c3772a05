import { useState } from 'react';
import { Link } from 'react-router';
import type { Assignee, TaskSummary } from '../api/api.types';
import { useMembers } from '../session/members.query';
import { assigneeId, assigneeName } from '../tasks/task-assignee.format';
import { formatAgo, formatDue, isOverdue } from '../tasks/task.format';
import type { InboxFilters } from './inbox.filters';
import { TaskBulkBar } from './task-bulk.bar';
import { AtRiskBadge, HolderLine, StartTaskButton, StatusBadge, UrgencyBadge } from './task-row.view';

type Column = 'title' | 'type' | 'status' | 'assignees' | 'customer' | 'priority' | 'dueAt' | 'createdAt';
const columns: { id: Column; label: string; wideOnly?: boolean }[] = [
  { id: 'title', label: 'Title' },
  { id: 'type', label: 'Type', wideOnly: true },
  { id: 'status', label: 'Status' },
  { id: 'assignees', label: 'Assignees', wideOnly: true },
  { id: 'customer', label: 'Customer', wideOnly: true },
  { id: 'priority', label: 'Priority', wideOnly: true },
  { id: 'dueAt', label: 'Due', wideOnly: true },
  { id: 'createdAt', label: 'Created', wideOnly: true },
];
const statusOrder = { pending: 0, processing: 1, waiting: 2, completed: 3, cancelled: 4 };
const priorityOrder = { urgent: 0, high: 1, normal: 2, low: 3 };

function sortKey(task: TaskSummary, column: Column, nameOf: (who: Assignee) => string): string | number {
  switch (column) {
    case 'assignees':
      return task.assignees.map(nameOf).join(', ').toLowerCase() || '\uffff';
    case 'customer':
      return task.customerRef?.toLowerCase() ?? '\uffff';
    case 'status':
      return statusOrder[task.status];
    case 'priority':
      return task.priority ? priorityOrder[task.priority] : 2;
    case 'dueAt':
      return task.dueAt ?? '9999';
    default:
      return task[column].toLowerCase();
  }
}

/**
 * Sortable columns over the loaded tasks; the server's order (open first, oldest first) until a
 * header is chosen. A customer or an assignee in a row filters the inbox by it (the URL keeps it).
 */
export function TaskTableView({
  tasks,
  onFilter,
}: {
  tasks: TaskSummary[];
  onFilter?(filter: Partial<InboxFilters>): void;
}) {
  const [sort, setSort] = useState<{ column: Column; ascending: boolean } | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  // Rows that left the list (another filter, a deleted task) leave the selection too.
  const chosen = tasks.filter((task) => selected.has(task.id)).map((task) => task.id);
  const select = (id: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const { data: members } = useMembers();
  const nameOf = (who: Assignee) => assigneeName(who, members);
  const rows = sort
    ? [...tasks].sort((a, b) => {
        const [x, y] = [sortKey(a, sort.column, nameOf), sortKey(b, sort.column, nameOf)];
        return (x < y ? -1 : x > y ? 1 : 0) * (sort.ascending ? 1 : -1);
      })
    : tasks;
  const toggle = (column: Column) =>
    setSort((current) =>
      current?.column === column ? { column, ascending: !current.ascending } : { column, ascending: true },
    );

  return (
    <>
      {chosen.length > 0 && <TaskBulkBar ids={chosen} onDone={() => setSelected(new Set())} />}
      <table className="task-table">
        <caption className="visually-hidden">Tasks{sort ? `, sorted by ${sort.column}` : ''}</caption>
        <thead>
          <tr>
            <th>
              <input
                type="checkbox"
                aria-label="Select all tasks"
                checked={chosen.length > 0 && chosen.length === tasks.length}
                onChange={(event) => setSelected(new Set(event.target.checked ? tasks.map((task) => task.id) : []))}
              />
            </th>
            {columns.map((column) => (
              <th
                key={column.id}
                className={column.wideOnly ? 'wide-only' : undefined}
                aria-sort={sort?.column === column.id ? (sort.ascending ? 'ascending' : 'descending') : 'none'}
              >
                <button type="button" className="sort" onClick={() => toggle(column.id)}>
                  {column.label}
                  <span aria-hidden="true">{sort?.column === column.id ? (sort.ascending ? ' ▲' : ' ▼') : ''}</span>
                </button>
              </th>
            ))}
            <th>
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((task) => (
            <tr key={task.id} data-task-id={task.id}>
              <td>
                <input
                  type="checkbox"
                  aria-label={`Select ${task.title}`}
                  checked={selected.has(task.id)}
                  onChange={(event) => select(task.id, event.target.checked)}
                />
              </td>
              <td>
                <Link to={`/tasks/${task.id}`}>{task.title}</Link>
                <div>
                  <UrgencyBadge task={task} />
                  <AtRiskBadge task={task} />
                </div>
              </td>
              <td className="wide-only">{task.type}</td>
              <td>
                <StatusBadge task={task} />
                <div>
                  <HolderLine task={task} />
                </div>
              </td>
              <td className="wide-only">
                {task.assignees.length === 0
                  ? '—'
                  : task.assignees.map((who, index) => (
                      <span key={assigneeId(who)}>
                        {index > 0 && ', '}
                        <FilterButton
                          label={nameOf(who)}
                          onClick={onFilter && (() => onFilter({ assignee: assigneeId(who) }))}
                        />
                      </span>
                    ))}
              </td>
              <td className="wide-only">
                {task.customerRef ? (
                  <FilterButton
                    label={task.customerRef}
                    onClick={onFilter && (() => onFilter({ customer: task.customerRef ?? '' }))}
                  />
                ) : (
                  '—'
                )}
              </td>
              <td className="wide-only">{task.priority ?? '—'}</td>
              <td className={`wide-only ${isOverdue(task.dueAt, task.status) ? 'overdue' : ''}`}>
                {formatDue(task.dueAt)}
              </td>
              <td className="wide-only" title={task.createdAt}>
                {formatAgo(task.createdAt)}
              </td>
              <td>
                <StartTaskButton task={task} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** A value that narrows the inbox to the tasks sharing it. */
function FilterButton({ label, onClick }: { label: string; onClick?: () => void }) {
  if (!onClick) return <>{label}</>;
  return (
    <button type="button" className="filter-by" title={`Show only tasks of ${label}`} onClick={onClick}>
      {label}
    </button>
  );
}
