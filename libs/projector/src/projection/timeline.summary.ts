import type { Actor, TaskEvent } from '@taskinbox/domain';

/** A timeline line: who did it, one readable sentence, and the part of the event worth showing. */
export interface TimelineLine {
  actor: Actor;
  occurredAt: string;
  summary: string;
  details: Record<string, unknown>;
}

const commentPreviewLength = 140;

export function describeEvent(event: TaskEvent): TimelineLine {
  switch (event.type) {
    case 'TaskCreated': {
      const { source, createdAt, title, taskType, externalRef } = event.data;
      return line(source, createdAt, `Created by ${actorLabel(source)}`, { title, taskType, externalRef });
    }
    case 'TaskClaimed': {
      const { by, claimedAt } = event.data;
      return line(by, claimedAt, `Claimed by ${actorLabel(by)}`, {});
    }
    case 'TaskReleased': {
      const { by, releasedAt, forced, previousClaimer } = event.data;
      return line(by, releasedAt, forced ? 'Released (forced by an admin)' : `Released by ${actorLabel(by)}`, {
        previousClaimer,
        forced,
      });
    }
    case 'TaskStatusChanged': {
      const { by, changedAt, from, to, reason } = event.data;
      const summary =
        to === 'waiting'
          ? withText('Put on hold', reason)
          : from === 'waiting'
            ? 'Resumed'
            : `Status changed from ${from} to ${to}`;
      return line(by, changedAt, summary, { from, to, reason });
    }
    case 'TaskCompleted': {
      const { by, completedAt, resolution, note } = event.data;
      return line(by, completedAt, `Completed: ${resolution}`, { resolution, note });
    }
    case 'TaskCancelled': {
      const { by, cancelledAt, reason } = event.data;
      return line(by, cancelledAt, withText('Cancelled', reason), { reason });
    }
    case 'TaskCommented': {
      const { by, commentedAt, commentId, body } = event.data;
      return line(by, commentedAt, `Comment: ${preview(body)}`, { commentId, body });
    }
    case 'TaskUpdated': {
      const { by, updatedAt, changes } = event.data;
      // Sorted: the stored event (jsonb) does not keep the order the fields were given in.
      return line(by, updatedAt, `Details updated: ${Object.keys(changes).sort().join(', ')}`, { changes });
    }
    case 'TaskAssigned': {
      const { by, assignedAt, assignee } = event.data;
      return line(by, assignedAt, `Assigned to ${assignee.kind} ${assignee.id}`, { assignee });
    }
    case 'TaskUnassigned': {
      const { by, unassignedAt, assignee } = event.data;
      return line(by, unassignedAt, `Unassigned ${assignee.kind} ${assignee.id}`, { assignee });
    }
    case 'TaskAttachmentAdded': {
      const { by, addedAt, attachment } = event.data;
      return line(by, addedAt, `Attachment added: ${attachment.name}`, { attachment });
    }
    case 'TaskInfoPosted': {
      const { by, postedAt, info, note } = event.data;
      return line(by, postedAt, `Info posted by ${actorLabel(by)}`, { info, note });
    }
    case 'TaskDeleted': {
      const { by, deletedAt, reason } = event.data;
      return line(by, deletedAt, withText('Deleted', reason), { reason });
    }
    case 'TaskPayloadErased': {
      const { by, erasedAt } = event.data;
      return line(by, erasedAt, 'Payload erased', {});
    }
    case 'TaskActionRequested': {
      const { by, requestedAt, actionId, key, label, args } = event.data;
      return line(by, requestedAt, `Action requested: ${label}`, { actionId, key, args });
    }
    case 'TaskActionSucceeded': {
      const { by, succeededAt, actionId, key, statusCode, response, attempts } = event.data;
      return line(by, succeededAt, `Action ${key} succeeded (HTTP ${statusCode})`, { actionId, key, statusCode, response, attempts });
    }
    case 'TaskActionFailed': {
      const { by, failedAt, actionId, key, statusCode, error, response, attempts } = event.data;
      const why = statusCode === undefined ? (error ?? 'no answer') : `HTTP ${statusCode}`;
      return line(by, failedAt, `Action ${key} failed (${why}) after ${attempts} attempt${attempts === 1 ? '' : 's'}`, {
        actionId,
        key,
        statusCode,
        error,
        response,
        attempts,
      });
    }
    case 'TaskEndUserAsked': {
      const { by, askedAt, requestId, prompt, form, actionUrl } = event.data;
      return line(by, askedAt, withText('Asked the end user', prompt), { requestId, prompt, form, actionUrl });
    }
    case 'TaskEndUserAnswered': {
      const { by, answeredAt, requestId } = event.data;
      return line(by, answeredAt, 'The end user answered; back in the queue', { requestId });
    }
  }
}

/** Services and the system by name, the end user as such; events carry only a user's id (the query API can resolve it to a name). */
const actorLabel = (actor: Actor): string => (actor.kind === 'user' ? actor.id : actor.kind === 'end_user' ? 'the end user' : actor.name);

const withText = (head: string, text: string | undefined): string => (text ? `${head}: ${text}` : head);

// One line: whitespace folded, cut by code points so a surrogate pair is never split.
function preview(text: string): string {
  const folded = text.replace(/\s+/g, ' ').trim();
  // No more UTF-16 units than the limit: no more code points either, nothing to cut (the common case).
  if (folded.length <= commentPreviewLength) return folded;
  const chars = Array.from(folded);
  return chars.length > commentPreviewLength ? `${chars.slice(0, commentPreviewLength).join('')}…` : folded;
}

// Undefined fields are dropped here rather than by JSON, so details compare equal however they were stored.
function line(actor: Actor, occurredAt: string, summary: string, details: Record<string, unknown>): TimelineLine {
  return { actor, occurredAt, summary, details: withoutUndefined(details) };
}

// Copied only when a field is undefined: most details have none, and a new object per event adds up in a rebuild.
function withoutUndefined(details: Record<string, unknown>): Record<string, unknown> {
  for (const key in details) {
    if (details[key] === undefined) return Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined));
  }
  return details;
}
