import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Empty, ErrorState, Loading } from '../layout/load.states';
import { useSignedIn } from '../session/session.context';
import { InboxFiltersForm } from './inbox-filters.form';
import {
  activeFilterCount,
  type InboxFilters,
  type InboxView,
  inboxViews,
  readFilters,
  writeFilters,
} from './inbox.filters';
import { useInbox } from './inbox.queries';
import { TaskListView } from './task-list.view';
import { TaskTableView } from './task-table.view';
import './inbox.css';

// The board and the calendar load when chosen: the list (phones) and the table (wider screens) open first.
const TaskBoardView = lazy(() => import('./task-board.view').then((module) => ({ default: module.TaskBoardView })));
const TaskCalendarView = lazy(() => import('./task-calendar.view').then((module) => ({ default: module.TaskCalendarView })));

const phone = () => window.matchMedia('(max-width: 767px)').matches;

/** The shared inbox: every open task of the organisation, live, open ones first. */
export function InboxPage() {
  const { role } = useSignedIn();
  const [params, setParams] = useSearchParams();
  // Filters answer at once from state; the URL only mirrors them (router updates are
  // transitions, which would make a ticked box look unticked for a moment on a busy phone).
  const [filters, setFilterState] = useState(() => readFilters(params));
  const [view, setViewState] = useState<InboxView>(
    () => (params.get('view') as InboxView | null) ?? (phone() ? 'list' : 'table'),
  );
  const setFilters = useCallback(
    (next: InboxFilters) => {
      setFilterState(next);
      setParams((current) => writeFilters(current, next), { replace: true });
    },
    [setParams],
  );
  const setView = (next: InboxView) => {
    setViewState(next);
    setParams(
      (current) => {
        const updated = new URLSearchParams(current);
        updated.set('view', next);
        return updated;
      },
      { replace: true },
    );
  };

  return (
    <div className="inbox">
      <div className="row inbox-head">
        <h1>Inbox</h1>
        {role !== 'viewer' && (
          <Link to="/tasks/new" className="button primary small">
            New task
          </Link>
        )}
        <div className="spacer" />
        <div className="tabs" role="group" aria-label="View">
          {inboxViews.map((option) => (
            <button
              key={option.id}
              type="button"
              className="button small"
              aria-pressed={view === option.id}
              onClick={() => setView(option.id)}
            >
              {option.label}
            </button>
          ))}
        </div>
      </div>
      <InboxFiltersForm filters={filters} onChange={setFilters} />
      {view === 'calendar' ? (
        <Suspense fallback={<Loading what="the calendar" />}>
          <TaskCalendarView filters={filters} />
        </Suspense>
      ) : (
        <InboxTasks filters={filters} view={view} onFilter={(filter) => setFilters({ ...filters, ...filter })} />
      )}
    </div>
  );
}

function InboxTasks({
  filters,
  view,
  onFilter,
}: {
  filters: InboxFilters;
  view: Exclude<InboxView, 'calendar'>;
  onFilter(filter: Partial<InboxFilters>): void;
}) {
  const inbox = useInbox(filters);

  if (inbox.isPending) return <Loading what="the inbox" />;
  // A failed refresh or next page keeps the tasks already on screen, with the error above them.
  if (inbox.isError && !inbox.data) return <ErrorState error={inbox.error} retry={() => void inbox.refetch()} />;

  const more = inbox.hasNextPage && <MoreTasks loading={inbox.isFetchingNextPage} load={() => void inbox.fetchNextPage()} />;
  return (
    <>
      {inbox.isError && <ErrorState error={inbox.error} retry={() => void inbox.refetch()} />}
      <p className="muted inbox-status" aria-live="polite">
        <span className={`live-dot ${inbox.live}`} aria-hidden="true" />
        {inbox.live === 'live' ? 'Live' : inbox.live === 'connecting' ? 'Reconnecting…' : 'Offline, trying again…'}
        {' · '}
        {inbox.tasks.length}
        {inbox.hasNextPage ? '+' : ''} {inbox.tasks.length === 1 ? 'task' : 'tasks'}
      </p>
      {inbox.tasks.length === 0 ? (
        <Empty>
          {activeFilterCount(filters) > 0 || filters.q
            ? 'No task matches these filters.'
            : 'Nothing to do: no open tasks. New ones appear here as they arrive.'}
        </Empty>
      ) : view === 'table' ? (
        <TaskTableView tasks={inbox.tasks} onFilter={onFilter} />
      ) : view === 'board' ? (
        <Suspense fallback={<Loading what="the board" />}>
          <TaskBoardView tasks={inbox.tasks} filters={filters} />
        </Suspense>
      ) : (
        <TaskListView tasks={inbox.tasks} after={more} />
      )}
      {(view !== 'list' || inbox.tasks.length === 0) && more}
    </>
  );
}

/** Loads the next page when scrolled into view, or on click (keyboard). */
function MoreTasks({ loading, load }: { loading: boolean; load(): void }) {
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const target = button.current;
    if (!target) return;
    const observer = new IntersectionObserver(
      (entries) => entries.some((entry) => entry.isIntersecting) && !loading && load(),
      {
        rootMargin: '400px',
      },
    );
    observer.observe(target);
    return () => observer.disconnect();
  }, [loading, load]);
  return (
    <button ref={button} type="button" className="button wide more" disabled={loading} onClick={load}>
      {loading ? 'Loading more…' : 'Show more tasks'}
    </button>
  );
}
