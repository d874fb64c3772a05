import { statusRank } from '@taskinbox/read-models';

/**
 * Where a page of the inbox ended, in queue order (status_rank, urgency_rank, created_at, task_id). Sent to
 * clients as opaque base64url JSON. created_at is kept as PostgreSQL's own microsecond text:
 * a JavaScript Date would round it to milliseconds and repeat or skip rows at page edges.
 */
export interface InboxCursor {
  statusRank: number;
  urgencyRank: number;
  createdAt: string;
  taskId: string;
}

const ranks = new Set(Object.values(statusRank));
const urgencyRanks = new Set([0, 1, 2, 3]);
const microsecondTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeCursor(cursor: InboxCursor): string {
  return Buffer.from(JSON.stringify({ r: cursor.statusRank, u: cursor.urgencyRank, c: cursor.createdAt, i: cursor.taskId })).toString(
    'base64url',
  );
}

/** The cursor, or null when `text` is not one this API produced. */
export function decodeCursor(text: string): InboxCursor | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { r, u, c, i } = parsed as Record<string, unknown>;
  if (typeof r !== 'number' || !ranks.has(r) || typeof c !== 'string' || typeof i !== 'string') return null;
  if (typeof u !== 'number' || !urgencyRanks.has(u)) return null;
  if (!isRealTimestamp(c) || !uuid.test(i)) return null;
  return { statusRank: r, urgencyRank: u, createdAt: c, taskId: i };
}

/** Shaped right and a real moment (Date would quietly roll 30 February over into March). */
function isRealTimestamp(text: string): boolean {
  // Year 0000 is valid ISO but out of PostgreSQL's timestamptz range.
  if (!microsecondTimestamp.test(text) || text.startsWith('0000')) return false;
  const milliseconds = `${text.slice(0, 23)}Z`;
  const date = new Date(milliseconds);
  return !Number.isNaN(date.getTime()) && date.toISOString() === milliseconds;
}
