import { type DragEvent, useState } from 'react';
import { Link } from 'react-router';
import type { TaskStatus, TaskSummary } from '../api/api.types';
import { useSignedIn } from '../session/session.context';
import { ActionDialog, CompleteForm, ReasonForm } from '../tasks/task-action.dialog';
import { statuses, statusLabels } from '../tasks/task.format';
import type { InboxFilters } from './inbox.filters';
import { useMoveTask } from './task-move.mutation';
import { HolderLine } from './task-row.view';
import { canMove } from './task-move.rules';

/**
 * Kanban by status. A card can be dragged (mouse) or moved with its "Move to" menu (keyboard,
 * touch) only to the columns the domain allows from where it is, for this person.
 */
export function TaskBoardView({ tasks, filters }: { tasks: TaskSummary[]; filters: InboxFilters }) {
  const session = useSignedIn();
  const { move, moving } = useMoveTask();
  const [dragged, setDragged] = useState<TaskSummary | null>(null);
  // Completing asks for a resolution and cancelling for a reason, in the task page's own dialogs.
  const [asking, setAsking] = useState<{ task: TaskSummary; to: 'completed' | 'cancelled' } | null>(null);
  // The columns of the statuses the list can hold: the chosen ones, or open (and finished) work.
  const columns: TaskStatus[] =
    filters.status.length > 0
      ? statuses.filter((status) => filters.status.includes(status))
      : filters.showCompleted
        ? statuses
        : ['pending', 'processing', 'waiting'];

  const moveTo = (task: TaskSummary, to: TaskStatus) => {
    if (to === 'completed' || to === 'cancelled') setAsking({ task, to });
    else void move(task, to);
  };
  const drop = (event: DragEvent, to: TaskStatus) => {
    event.preventDefault();
    if (dragged && canMove(dragged, to, session)) moveTo(dragged, to);
    setDragged(null);
  };

  return (
    <div className="board">
      {columns.map((status) => {
        const cards = tasks.filter((task) => task.status === status);
        const legal = dragged ? canMove(dragged, status, session) : false;
        return (
          <section
            key={status}
            className={`board-column ${legal ? 'drop-ok' : ''} ${dragged && !legal && dragged.status !== status ? 'drop-no' : ''}`}
            aria-label={statusLabels[status]}
            data-status={status}
            onDragOver={(event) => legal && event.preventDefault()}
            onDrop={(event) => drop(event, status)}
          >
            <h2>
              {statusLabels[status]} <span className="muted">{cards.length}</span>
            </h2>
            <ul>
              {cards.map((task) => (
                <BoardCard
                  key={task.id}
                  task={task}
                  targets={statuses.filter((to) => canMove(task, to, session))}
                  moving={moving === task.id}
                  onMove={(to) => moveTo(task, to)}
                  onDragStart={() => setDragged(task)}
                  onDragEnd={() => setDragged(null)}
                />
              ))}
            </ul>
          </section>
        );
      })}
      {asking?.to === 'completed' && (
        <ActionDialog title={`Complete “${asking.task.title}”`} onClose={() => setAsking(null)}>
          <CompleteForm
            busy={moving === asking.task.id}
            onClose={() => setAsking(null)}
            onSubmit={(body) => {
              void move(asking.task, 'completed', body);
              setAsking(null);
            }}
          />
        </ActionDialog>
      )}
      {asking?.to === 'cancelled' && (
        <ActionDialog title={`Cancel “${asking.task.title}”?`} onClose={() => setAsking(null)}>
          <ReasonForm
            intro="A cancelled task cannot be reopened; the sender is told."
            submitLabel="Cancel task"
            danger
            busy={moving === asking.task.id}
            onClose={() => setAsking(null)}
            onSubmit={(reason) => {
              void move(asking.task, 'cancelled', reason ? { note: reason } : {});
              setAsking(null);
            }}
          />
        </ActionDialog>
      )}
    </div>
  );
}

/** A card: dragged with a mouse, or moved with "Move to" and a Move button (a select alone would act on arrow keys). */
function BoardCard(props: {
  task: TaskSummary;
  targets: TaskStatus[];
  moving: boolean;
  onMove(to: TaskStatus): void;
  onDragStart(): void;
  onDragEnd(): void;
}) {
  const { task, targets, moving, onMove, onDragStart, onDragEnd } = props;
  const [target, setTarget] = useState<TaskStatus | ''>('');
  return (
    <li
      className="board-card"
      data-task-id={task.id}
      draggable={targets.length > 0}
      onDragStart={(event) => {
        event.dataTransfer.setData('text/plain', task.id);
        onDragStart();
      }}
      onDragEnd={onDragEnd}
    >
      <Link to={`/tasks/${task.id}`}>{task.title}</Link>
      <div className="task-meta">
        <span>{task.type}</span>
        <HolderLine task={task} />
      </div>
      {targets.length > 0 && (
        <form
          className="move"
          onSubmit={(event) => {
            event.preventDefault();
            if (target) onMove(target);
            setTarget('');
          }}
        >
          <label>
            <span className="visually-hidden">Move “{task.title}” to</span>
            <select
              value={target}
              disabled={moving}
              onChange={(event) => setTarget(event.target.value as TaskStatus | '')}
            >
              <option value="">Move to…</option>
              {targets.map((to) => (
                <option key={to} value={to}>
                  {statusLabels[to]}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="button small" disabled={!target || moving}>
            Move
          </button>
        </form>
      )}
    </li>
  );
}
