import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useId } from 'react';
import { Link, useParams } from 'react-router';
import type { TaskDetail, TaskTimeline as Timeline } from '../api/api.types';
import { ErrorState, Loading } from '../layout/load.states';
import { useLiveChanges } from '../live/live-changes.context';
import { useMembers, useNameOf } from '../session/members.query';
import { useSignedIn } from '../session/session.context';
import { assigneeName } from './task-assignee.format';
import { useTaskTypeVersion } from '../task-types/task-type.queries';
import { TaskActions } from './task-actions.panel';
import { attachmentsOf, TaskAttachments } from './task-attachments.section';
import { TaskPayload } from './task-payload.section';
import { TaskTimeline } from './task-timeline.section';
import { TaskTypeActions } from './task-type-actions.section';
import { formatDateTime, formatDue, isOverdue, statusLabels } from './task.format';
import { AtRiskBadge } from '../inbox/task-row.view';
import { expectTaskVersion } from '../live/read-your-writes.store';
import { taskKey, useTaskTimeline } from './task.queries';
import './task.css';

/** One task: what it is about, what happened to it, and what the viewer may do with it now. */
export function TaskPage() {
  const { id = '' } = useParams();
  const { userId, role } = useSignedIn();
  const queries = useQueryClient();
  const query = useTaskTimeline(id);
  const shownVersion = query.data?.task.version;
  useMembersIncluding(query.data);
  // Tasks of a registered type show their payload through that version's display layout.
  const typeVersion = useTaskTypeVersion(query.data?.task.type ?? '', query.data?.task.typeVersion);

  useLiveChanges((change) => {
    if (change.taskId !== id || (shownVersion !== undefined && change.revision <= shownVersion)) return;
    // The envelope's revision is the task's version after the change (libs/messaging event-envelope).
    expectTaskVersion(id, change.revision);
    void queries.invalidateQueries({ queryKey: taskKey(id) });
  });

  if (query.isPending)
    return (
      <div className="task-page">
        <BackLink />
        <Loading what="the task" />
      </div>
    );
  if (!query.data)
    return (
      <div className="task-page">
        <BackLink />
        <h1>Task</h1>
        <ErrorState error={query.error} retry={() => void query.refetch()} />
      </div>
    );

  const { task, timeline } = query.data;
  return (
    // Keyed: open forms and drafts belong to one task, not to whichever task the route shows next.
    <article key={task.id} className="task-page loaded">
      <header className="task-page-head">
        <BackLink />
        <div className="task-title-row">
          <h1>{task.title}</h1>
          {task.allowedActions.includes('update') && (
            <Link to={`/tasks/${task.id}/edit`} className="button small">
              Edit
            </Link>
          )}
        </div>
        <p className="row task-badges">
          <span className={`badge ${task.status}`}>{statusLabels[task.status]}</span>
          {isOverdue(task.dueAt, task.status) && <span className="badge overdue">Overdue</span>}
          <AtRiskBadge task={task} />
          {(task.priority === 'high' || task.priority === 'urgent') && (
            <span className={`badge priority-${task.priority}`}>
              {task.priority === 'urgent' ? 'Urgent' : 'High priority'}
            </span>
          )}
          <span className="tag">{task.type}</span>
        </p>
        {/* A failed refresh keeps what was shown, and says it may be out of date. */}
        {query.isError && <ErrorState error={query.error} retry={() => void query.refetch()} />}
      </header>
      <div className="task-page-side">
        <TaskActions task={task} />
        <TaskFacts task={task} viewerId={userId} />
        <TaskTypeActions task={task} actions={typeVersion.data?.actions} />
      </div>
      <div className="task-page-main">
        {task.description && (
          <Section title="Description">
            <p className="task-description">{task.description}</p>
          </Section>
        )}
        <TaskPayload payload={task.payload} layout={typeVersion.data?.layout} />
        <TaskAttachments
          taskId={task.id}
          attachments={attachmentsOf(timeline)}
          viewerId={userId}
          canAttach={role !== 'viewer'}
        />
        <TaskTimeline
          taskId={task.id}
          timeline={timeline}
          viewerId={userId}
          canComment={task.allowedActions.includes('comment')}
        />
      </div>
    </article>
  );
}

/** Reloads the member list (cached for a minute) when the task names someone who joined since. */
function useMembersIncluding(data: Timeline | undefined) {
  const queries = useQueryClient();
  const { data: members } = useMembers();
  const ids = new Set<string>();
  if (data?.task.processedBy) ids.add(data.task.processedBy);
  for (const entry of data?.timeline ?? []) if (entry.actor.kind === 'user') ids.add(entry.actor.id);
  const missing = members
    ? [...ids]
        .filter((id) => !members.some((member) => member.id === id))
        .sort()
        .join()
    : '';
  useEffect(() => {
    if (missing) void queries.invalidateQueries({ queryKey: ['members'] });
  }, [missing, queries]);
}

function BackLink() {
  return (
    <Link to="/" className="task-back">
      <span aria-hidden="true">←</span>Inbox
    </Link>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const headingId = useId();
  return (
    <section className="card task-section" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {children}
    </section>
  );
}

/** Who has it, when it is due, where it came from: only the facts the task has. */
function TaskFacts({ task, viewerId }: { task: TaskDetail; viewerId: string }) {
  const nameOf = useNameOf();
  const { data: members } = useMembers();
  const facts: [string, ReactNode][] = [
    ['Status', statusLabels[task.status]],
    [
      task.status === 'completed' ? 'Completed by' : 'Handled by',
      task.processedBy && nameOf(task.processedBy, viewerId),
    ],
    ['Resolution', task.resolution],
    ['Completed', task.completedAt && formatDateTime(task.completedAt)],
    ['Cancelled', task.cancelledAt && formatDateTime(task.cancelledAt)],
    ['Due', task.dueAt && formatDue(task.dueAt)],
    ['Priority', task.priority && task.priority[0].toUpperCase() + task.priority.slice(1)],
    ['From', nameOf(task.source, viewerId)],
    ['Created', formatDateTime(task.createdAt)],
    ['Updated', formatDateTime(task.updatedAt)],
    ['Customer', task.customerRef],
    ['Project', task.projectRef],
    ['External ref', task.externalRef],
    ['Assignees', task.assignees.length > 0 && task.assignees.map((who) => assigneeName(who, members)).join(', ')],
    ['Tags', task.tags.length > 0 && task.tags.join(', ')],
    ['Private', task.private && 'Hidden from end users'],
  ];
  return (
    <Section title="Details">
      <dl className="task-facts">
        {facts
          .filter(([, value]) => value !== null && value !== undefined && value !== false && value !== '')
          .map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
      </dl>
    </Section>
  );
}
