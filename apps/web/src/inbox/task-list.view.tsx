import type { TaskSummary } from '../api/api.types';
import { TaskRow } from './task-row.view';

export function TaskListView({
  tasks,
  claim,
  claiming,
}: {
  tasks: TaskSummary[];
  claim(task: TaskSummary): void;
  claiming: string | null;
}) {
  return (
    <ul className="task-list" aria-label="Tasks">
      {tasks.map((task) => (
        <TaskRow key={task.id} task={task} claim={claim} claiming={claiming} />
      ))}
    </ul>
  );
}
