import { type FormEvent, type KeyboardEvent, type ReactNode, useId, useState } from 'react';
import { COMMENT_MAX_LENGTH } from '@taskinbox/domain';
import type { TimelineEntry } from '../api/api.types';
import { useNameOf } from '../session/members.query';
import { PayloadValue } from './task-payload.section';
import { formatDateTime, statusLabels } from './task.format';
import { useTaskCommand } from './task.queries';

/** What happened to the task, oldest first, with the comments in place and a box to add one. */
export function TaskTimeline({
  taskId,
  timeline,
  viewerId,
  canComment,
}: {
  taskId: string;
  timeline: TimelineEntry[];
  viewerId: string;
  canComment: boolean;
}) {
  const headingId = useId();
  return (
    <section className="card task-section" aria-labelledby={headingId}>
      <h2 id={headingId}>Timeline</h2>
      <ol className="timeline">
        {timeline.map((entry) => (
          <TimelineItem key={entry.eventId} entry={entry} viewerId={viewerId} />
        ))}
      </ol>
      {canComment && <CommentForm taskId={taskId} />}
    </section>
  );
}

function TimelineItem({ entry, viewerId }: { entry: TimelineEntry; viewerId: string }) {
  const nameOf = useNameOf();
  const who = sentenceStart(nameOf(entry.actor, viewerId));
  const { text, more } = describe(entry, (id) => nameOf(id, viewerId));
  return (
    <li className={`timeline-entry ${entry.eventType === 'TaskCommented' ? 'comment' : ''}`}>
      <p className="timeline-line">
        <strong>{who}</strong> {text}
      </p>
      {more}
      <time className="muted timeline-time" dateTime={entry.occurredAt}>
        {formatDateTime(entry.occurredAt)}
      </time>
    </li>
  );
}

const sentenceStart = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

const textOf = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

const isStatus = (value: unknown): value is keyof typeof statusLabels =>
  typeof value === 'string' && Object.hasOwn(statusLabels, value);

const statusName = (value: unknown): string => (isStatus(value) ? statusLabels[value] : String(value));

/** The sentence after the actor's name, and what to show under it; built here because the stored summary names users by id. */
function describe(entry: TimelineEntry, nameOf: (userId: string) => string): { text: string; more?: ReactNode } {
  const { details } = entry;
  const quote = (label: string, value: unknown) => {
    const text = textOf(value);
    return text ? <Quote label={label}>{text}</Quote> : undefined;
  };
  switch (entry.eventType) {
    case 'TaskCreated':
      return { text: 'created the task' };
    case 'TaskClaimed':
      return { text: 'started the task' };
    case 'TaskReleased': {
      const previous = textOf(details.previousClaimer);
      return {
        text: details.forced === true && previous ? `released the task from ${nameOf(previous)}` : 'released the task',
      };
    }
    case 'TaskStatusChanged':
      if (details.to === 'waiting') return { text: 'put the task on hold', more: quote('Reason', details.reason) };
      if (details.from === 'waiting') return { text: 'resumed the task' };
      return { text: `moved the task from ${statusName(details.from)} to ${statusName(details.to)}` };
    case 'TaskCompleted':
      return {
        text: `completed the task: ${textOf(details.resolution) ?? 'done'}`,
        more: quote('Note', details.note),
      };
    case 'TaskCancelled':
      return { text: 'cancelled the task', more: quote('Reason', details.reason) };
    case 'TaskCommented':
      return { text: 'commented', more: <p className="timeline-comment">{textOf(details.body)}</p> };
    case 'TaskUpdated': {
      const changes = details.changes;
      const fields =
        typeof changes === 'object' && changes !== null
          ? Object.keys(changes)
              .map((field) => changedFieldNames[field] ?? field)
              .sort()
              .join(', ')
          : '';
      return { text: fields ? `updated ${fields}` : 'updated the details' };
    }
    case 'TaskAttachmentAdded': {
      const attachment = details.attachment;
      const name =
        typeof attachment === 'object' && attachment !== null && 'name' in attachment
          ? textOf(attachment.name)
          : undefined;
      return { text: name ? `attached ${name}` : 'added an attachment' };
    }
    case 'TaskInfoPosted':
      return {
        text: 'posted information',
        more: (
          <>
            {quote('Note', details.note)}
            <div className="timeline-info">
              <PayloadValue value={details.info} />
            </div>
          </>
        ),
      };
    default:
      // An event type newer than this page: the server's own sentence is the best there is.
      return { text: entry.summary };
  }
}

function Quote({ label, children }: { label: string; children: string }) {
  return (
    <p className="timeline-quote">
      <span className="visually-hidden">{label}: </span>
      {children}
    </p>
  );
}

function CommentForm({ taskId }: { taskId: string }) {
  const [body, setBody] = useState('');
  const command = useTaskCommand(taskId);
  const inputId = useId();

  function submit(event?: FormEvent) {
    event?.preventDefault();
    if (!body.trim() || command.isPending) return;
    command.mutate({ path: 'comments', body: { body } }, { onSuccess: () => setBody('') });
  }

  // Ctrl/Cmd+Enter sends, as in most chat and issue trackers; Enter alone makes a new line.
  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) submit();
  }

  return (
    <form className="comment-form" onSubmit={submit}>
      <label htmlFor={inputId}>Add a comment</label>
      <textarea
        id={inputId}
        value={body}
        maxLength={COMMENT_MAX_LENGTH}
        required
        rows={3}
        onChange={(event) => setBody(event.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="row">
        <span className="muted comment-hint">Ctrl+Enter to send</span>
        <span className="spacer" />
        <button type="submit" className="button" disabled={command.isPending}>
          {command.isPending ? 'Sending…' : 'Comment'}
        </button>
      </div>
    </form>
  );
}

/** The API's field names as people say them. */
const changedFieldNames: Record<string, string> = {
  dueAt: 'due date',
  customerRef: 'customer',
  projectRef: 'project',
  milestoneRef: 'milestone',
  private: 'privacy',
};
