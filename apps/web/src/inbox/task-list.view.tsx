import { type ReactNode, useDeferredValue } from 'react';
import type { TaskSummary } from '../api/api.types';
import { useNameOf } from '../session/members.query';
import { TaskRow } from './task-row.view';

/** A phone's screenful: these rows show at once, before the rest of the page of tasks. */
const firstRows = 8;

/** The phone-first list; `after` (the "more tasks" loader) shows once every row given is on screen. */
export function TaskListView({ tasks, after }: { tasks: TaskSummary[]; after?: ReactNode }) {
  // The rest render in React's background pass, which yields to the browser every few ms instead
  // of blocking a slow phone's taps and scrolling while a whole page of rows is built.
  const shown = useDeferredValue(tasks, tasks.slice(0, firstRows));
  const nameOf = useNameOf();
  return (
    <>
      <ul className="task-list" aria-label="Tasks">
        {shown.map((task) => (
          <TaskRow key={task.id} task={task} nameOf={nameOf} />
        ))}
      </ul>
      {/* Not before: a short list would bring the loader into view and fetch page after page. */}
      {shown === tasks && after}
    </>
  );
}
