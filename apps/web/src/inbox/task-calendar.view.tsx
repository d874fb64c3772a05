import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { TaskSummary } from '../api/api.types';
import { Empty, ErrorState, Loading } from '../layout/load.states';
import { dueDay, isOverdue, localDay } from '../tasks/task.format';
import type { InboxFilters } from './inbox.filters';
import { useInbox } from './inbox.queries';

const monthName = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric' });
const dayName = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const mostTasks = 1_000;

/** Tasks by due date, a month at a time: a grid on wide screens, an agenda of due days on phones. */
export function TaskCalendarView({ filters }: { filters: InboxFilters }) {
  const [month, setMonth] = useState(() => {
    const now = new Date();
    return new Date(now.getFullYear(), now.getMonth(), 1);
  });
  const next = new Date(month.getFullYear(), month.getMonth() + 1, 1);
  // A day's margin each side: a due date without a time (midnight UTC) belongs to its calendar
  // day, which lies outside the local month's exact bounds in zones away from UTC.
  const inbox = useInbox(filters, {
    dueFrom: new Date(month.getTime() - 86_400_000).toISOString(),
    dueTo: new Date(next.getTime() + 86_400_000).toISOString(),
  });
  const { hasNextPage, isFetchingNextPage, fetchNextPage, tasks } = inbox;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && tasks.length < mostTasks) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, tasks.length]);

  const byDay = new Map<string, TaskSummary[]>();
  for (const task of tasks) {
    if (!task.dueAt) continue;
    const key = dueDay(task.dueAt);
    byDay.set(key, [...(byDay.get(key) ?? []), task]);
  }
  const leading = (month.getDay() + 6) % 7;
  const days = Array.from(
    { length: Math.round((next.getTime() - month.getTime()) / 86_400_000) },
    (_, index) => new Date(month.getFullYear(), month.getMonth(), index + 1),
  );
  const shift = (by: number) => setMonth(new Date(month.getFullYear(), month.getMonth() + by, 1));
  const today = localDay(new Date());

  return (
    <div className="calendar">
      <div className="row calendar-head">
        <button type="button" className="button small" onClick={() => shift(-1)} aria-label="Previous month">
          ‹
        </button>
        <h2 aria-live="polite">{monthName.format(month)}</h2>
        <button type="button" className="button small" onClick={() => shift(1)} aria-label="Next month">
          ›
        </button>
      </div>
      <p className="muted small-print">Only tasks with a due date appear here.</p>
      {inbox.isPending ? (
        <Loading what="the calendar" />
      ) : inbox.isError ? (
        <ErrorState error={inbox.error} retry={() => void inbox.refetch()} />
      ) : (
        <>
          <ol className="agenda" aria-label="Due this month">
            {days
              .filter((day) => byDay.has(localDay(day)))
              .map((day) => (
                <li key={localDay(day)}>
                  <h3>{dayName.format(day)}</h3>
                  <DayTasks tasks={byDay.get(localDay(day)) ?? []} />
                </li>
              ))}
            {!days.some((day) => byDay.has(localDay(day))) && <Empty>Nothing due in {monthName.format(month)}.</Empty>}
          </ol>
          <div className="month-grid">
            {weekdays.map((weekday) => (
              <div key={weekday} className="weekday">
                {weekday}
              </div>
            ))}
            {Array.from({ length: leading }, (_, index) => (
              <div key={`blank-${index}`} className="day blank" />
            ))}
            {days.map((day) => (
              <div key={localDay(day)} className={`day ${localDay(day) === today ? 'today' : ''}`}>
                <span className="date">{day.getDate()}</span>
                <DayTasks tasks={byDay.get(localDay(day)) ?? []} />
              </div>
            ))}
          </div>
        </>
      )}
    </div>
  );
}

function DayTasks({ tasks }: { tasks: TaskSummary[] }) {
  return (
    <ul>
      {tasks.map((task) => (
        <li key={task.id} className={`due ${task.status} ${isOverdue(task.dueAt, task.status) ? 'overdue' : ''}`}>
          <Link to={`/tasks/${task.id}`}>{task.title}</Link>
        </li>
      ))}
    </ul>
  );
}
