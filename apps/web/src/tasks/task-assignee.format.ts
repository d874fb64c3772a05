import type { Assignee, Member } from '../api/api.types';

// Assignees arrive as the sender wrote them (a user id or an e-mail) on older tasks, and as
// checked people and groups ({kind, id, name}) where the API names them: both read the same here.

/** The id to filter and edit by: a user's or group's id, or the sender's text. */
export const assigneeId = (assignee: Assignee): string => (typeof assignee === 'string' ? assignee : assignee.id);

/** A readable name: the API's, else the member's, else what the sender wrote. */
export function assigneeName(assignee: Assignee, members: Member[] | undefined): string {
  if (typeof assignee !== 'string' && assignee.name) return assignee.name;
  const id = assigneeId(assignee);
  const member = members?.find((candidate) => candidate.id === id || candidate.email === id);
  return member?.name || member?.email || id;
}
