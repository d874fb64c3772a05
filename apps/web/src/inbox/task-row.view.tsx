import { memo } from 'react';
import { Link, useNavigate } from 'react-router';
import type { TaskSummary } from '../api/api.types';
import { type NameOf, useNameOf } from '../session/members.query';
import { useSignedIn } from '../session/session.context';
import { useClaimTask } from '../tasks/task-claim.mutation';
import { formatAgo, formatDue, isOverdue, statusLabels } from '../tasks/task.format';
import { actionsOn } from './task-move.rules';

export function StatusBadge({ task }: { task: TaskSummary }) {
  return <span className={`badge ${task.status}`}>{statusLabels[task.status]}</span>;
}

/** Who holds it, in the users' words: "You are on it", "Ann is on it", "Waiting (Ann)". */
export function HolderLine({ task }: { task: TaskSummary }) {
  // Most open tasks are held by nobody: they need no name, nor a subscription to the people.
  if (!task.processedBy || task.status === 'pending' || task.status === 'cancelled') return null;
  return <Holder task={task} holder={task.processedBy} />;
}

function Holder({ task, holder }: { task: TaskSummary; holder: string }) {
  const session = useSignedIn();
  const nameOf = useNameOf();
  const who = nameOf(holder, session.userId);
  const text =
    task.status === 'completed'
      ? `Resolved by ${who}`
      : task.status === 'waiting'
        ? `Waiting, held by ${who}`
        : `${who === 'you' ? 'You are' : `${who} is`} on it`;
  return <span className="holder">{text}</span>;
}

/** Claims the task and, when this person got it, opens it: the next thing to do is work on it. */
export function StartTaskButton({ task }: { task: TaskSummary }) {
  const { claim, claiming } = useClaimTask();
  const navigate = useNavigate();
  const session = useSignedIn();
  if (!actionsOn(task, session).includes('claim')) return null;
  return (
    <button
      type="button"
      className="button primary small"
      disabled={claiming === task.id}
      onClick={() => void claim(task).then((claimed) => claimed && navigate(`/tasks/${task.id}`))}
      aria-label={`Start task: ${task.title}`}
    >
      {claiming === task.id ? 'Starting…' : 'Start task'}
    </button>
  );
}

/** How soon it needs attention and why, from the organisation's rules; nothing for a plain normal task. */
export function UrgencyBadge({ task }: { task: TaskSummary }) {
  const urgency = task.urgency;
  if (!urgency || (urgency.level === 'normal' && !urgency.reason)) return null;
  return (
    <span className={`urgency ${urgency.level}`} data-urgency={urgency.level}>
      <strong>{urgency.level}</strong>
      {urgency.reason && <span className="urgency-reason">{urgency.reason}</span>}
    </span>
  );
}

/** An open task expected after its deadline (its ETA's P90 is later); nothing otherwise. */
export function AtRiskBadge({ task }: { task: TaskSummary }) {
  if (!task.atRisk) return null;
  return (
    <span className="badge at-risk" data-at-risk title={task.atRisk.reason}>
      At risk: expected after the deadline
    </span>
  );
}

/**
 * One task in the phone-first list; drawn again only when the task (or the people) change. The
 * list passes `nameOf`, so fifty rows do not each subscribe to the people list.
 */
export const TaskRow = memo(function TaskRow({ task, nameOf }: { task: TaskSummary; nameOf: NameOf }) {
  const overdue = isOverdue(task.dueAt, task.status);
  return (
    <li className={`task-row ${task.status}`} data-task-id={task.id}>
      <div className="task-main">
        <Link to={`/tasks/${task.id}`} className="task-title">
          {task.priority === 'urgent' || task.priority === 'high' ? (
            <span className={`priority ${task.priority}`} title={`${task.priority} priority`}>
              {task.priority === 'urgent' ? '‼' : '!'}
            </span>
          ) : null}
          {task.title}
        </Link>
        <UrgencyBadge task={task} />
        <AtRiskBadge task={task} />
        <div className="task-meta">
          <span>{task.type}</span>
          <span>from {nameOf(task.source)}</span>
          <span title={task.createdAt}>{formatAgo(task.createdAt)}</span>
          {task.dueAt && <span className={overdue ? 'overdue' : undefined}>due {formatDue(task.dueAt)}</span>}
          {task.commentCount > 0 && <span>{task.commentCount} 💬</span>}
          {task.attachmentCount > 0 && <span>{task.attachmentCount} 📎</span>}
        </div>
        {task.tags.length > 0 && (
          <div className="task-tags">
            {task.tags.map((tag) => (
              <span key={tag} className="tag">
                #{tag}
              </span>
            ))}
          </div>
        )}
      </div>
      <div className="task-side">
        <StatusBadge task={task} />
        <HolderLine task={task} />
        <StartTaskButton task={task} />
      </div>
    </li>
  );
});
