import type { TaskSummary } from '../api/api.types';
import { TaskRow } from './task-row.view';

export function TaskListView({ tasks }: { tasks: TaskSummary[] }) {
  return (
    <ul className="task-list" aria-label="Tasks">
      {tasks.map((task) => (
        <TaskRow key={task.id} task={task} />
      ))}
    </ul>
  );
}
