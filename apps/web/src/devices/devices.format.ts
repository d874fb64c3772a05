import type { JobAction, RunStatus } from './devices.types';

const finishedStatuses: RunStatus[] = ['succeeded', 'failed', 'missed', 'cancelled'];
export const isFinished = (status: RunStatus): boolean => finishedStatuses.includes(status);

/** "12 s ago", "5 min ago", "3 h ago", else the date: how long a device has been silent. */
export function ago(at: string | null | undefined, now = Date.now()): string {
  if (!at) return 'never';
  const seconds = Math.max(0, Math.round((now - Date.parse(at)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return new Date(at).toLocaleString();
}

export const when = (at: string | null | undefined): string => (at ? new Date(at).toLocaleString() : '—');

/** What an action does, in a line (the server says the same of finished ones). */
export function describeAction(action: JobAction): string {
  switch (action.type) {
    case 'COMMAND':
      return [action.command, ...(action.arguments ?? [])].join(' ');
    case 'SCRIPT':
      return `${action.interpreter ?? '/bin/sh'}: ${(action.content ?? '').split('\n')[0]}`;
    case 'HTTP_REQUEST':
      return `${action.method ?? 'GET'} ${action.url ?? ''}`;
    case 'READ_FILE':
      return `read ${action.path ?? ''}`;
  }
}

export const labelsText = (labels: Record<string, string>): string =>
  Object.entries(labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');

/** "role=web, env=prod" (or one a line) → { role: 'web', env: 'prod' }; a fragment without "=" is named. */
export function parseLabels(text: string): Record<string, string> | { problem: string } {
  const labels: Record<string, string> = {};
  for (const part of text.split(/[,\n]/).map((piece) => piece.trim()).filter(Boolean)) {
    const at = part.indexOf('=');
    if (at <= 0) return { problem: `"${part}" is not key=value` };
    labels[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return labels;
}
