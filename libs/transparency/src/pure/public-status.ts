import { pointerValue } from './eta';

// What an end user may read of a task: the status in their words, the payload fields the type
// marks public, and the public moments of its history. Nothing here names a person, quotes a
// comment or shows a field the type did not mark public.

export const publicStatuses = ['received', 'in_progress', 'waiting_for_you', 'on_hold', 'done', 'cancelled'] as const;
export type PublicStatus = (typeof publicStatuses)[number];

export const statusWords: Record<PublicStatus, string> = {
  received: 'Received',
  in_progress: 'Being worked on',
  waiting_for_you: 'Waiting for you',
  on_hold: 'On hold',
  done: 'Done',
  cancelled: 'Cancelled',
};

/** The task's canonical status as its end user reads it. */
export function publicStatus(status: string, waitingOnEndUser: boolean): PublicStatus {
  switch (status) {
    case 'processing':
      return 'in_progress';
    case 'waiting':
      return waitingOnEndUser ? 'waiting_for_you' : 'on_hold';
    case 'completed':
      return 'done';
    case 'cancelled':
      return 'cancelled';
    default:
      return 'received';
  }
}

/** One line of the task's history as read models keep it. */
export interface HistoryEntry {
  eventType: string;
  at: string;
  actorKind: string;
}

export interface PublicEvent {
  at: string;
  label: string;
}

const publicLabels: Record<string, string> = {
  TaskCreated: 'Received',
  TaskClaimed: 'Being worked on',
  TaskEndUserAsked: 'We asked you for something',
  TaskCompleted: 'Done',
  TaskCancelled: 'Cancelled',
};

const repeatable = new Set(['We asked you for something', 'You answered']);

/** The public moments, oldest first; being worked on again (after a release or an answer) is shown once. */
export function publicTimeline(history: HistoryEntry[]): PublicEvent[] {
  const events: PublicEvent[] = [];
  for (const entry of history) {
    const label = entry.eventType === 'TaskInfoPosted' ? (entry.actorKind === 'end_user' ? 'You answered' : undefined) : publicLabels[entry.eventType];
    if (label === undefined || (!repeatable.has(label) && events.some((event) => event.label === label))) continue;
    events.push({ at: entry.at, label });
  }
  return events;
}

export interface PublicField {
  label: string;
  value: string;
}

/**
 * The payload fields `publicFields` (JSON Pointers) names, labelled as the type's layout labels
 * them, as text: an end user's page never renders markup from a payload.
 */
export function publicFields(
  payload: Record<string, unknown>,
  pointers: readonly string[],
  layout: readonly { field: string; label: string }[],
): PublicField[] {
  return pointers.flatMap((pointer) => {
    const value = pointerValue(payload, pointer);
    if (value === undefined || value === null) return [];
    const label = layout.find((item) => item.field === pointer)?.label ?? pointer.split('/').pop()!.replace(/~1/g, '/').replace(/~0/g, '~');
    return [{ label, value: typeof value === 'string' ? value : JSON.stringify(value) }];
  });
}
