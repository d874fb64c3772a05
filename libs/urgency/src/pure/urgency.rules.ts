/**
 * Urgency: how soon a task needs attention, which changes as time passes (priority, how much it
 * matters, is set by people and stays apart). An ordered list of rules over a task's facts; the
 * first rule whose every condition holds gives the level and the reason shown in the inbox.
 */
export const urgencyLevels = ['critical', 'high', 'normal', 'low'] as const;
export type UrgencyLevel = (typeof urgencyLevels)[number];

/** Sort key of the inbox: critical first. */
export const urgencyRank: Record<UrgencyLevel, number> = { critical: 0, high: 1, normal: 2, low: 3 };

/** The tag people put on a task to flag it as urgent. */
export const urgentFlagTag = 'urgent';

export interface UrgencyCondition {
  /** The task is of one of these types. */
  taskTypes?: string[];
  /** The deadline has passed (true) or has not, or there is none (false). */
  overdue?: boolean;
  /** The deadline is at most this many hours away (passed deadlines included). */
  dueWithinHours?: number;
  /** Fewer than this many business hours are left on the SLO clock of the task's type (breached included). */
  sloHoursLeftBelow?: number;
  /** The ETA's upper bound (P90) is later than the deadline. */
  etaPastDeadline?: boolean;
  /** Someone tagged the task 'urgent' (true) or nobody did (false). */
  flagged?: boolean;
  /** A field of the payload (dotted path, e.g. customer.tier) equals this text (numbers and booleans compare as text). */
  payload?: { path: string; equals: string };
}

export interface UrgencyRule {
  when: UrgencyCondition;
  level: UrgencyLevel;
  reason: string;
}

export interface UrgencyFacts {
  taskType: string;
  now: Date;
  dueAt?: Date | null;
  /** Business seconds left before the strictest SLO of the type is missed; undefined without an SLO. */
  sloSecondsLeft?: number;
  /** Undefined while no ETA is known: a rule asking for it does not match. */
  etaPastDeadline?: boolean;
  tags: readonly string[];
  payload: Record<string, unknown>;
}

export interface Urgency {
  level: UrgencyLevel;
  /** Why, in the words of the rule that matched; null when none did. */
  reason: string | null;
}

export const defaultUrgency: Urgency = { level: 'normal', reason: null };

const hourMs = 3_600_000;

export function evaluateUrgency(rules: readonly UrgencyRule[], facts: UrgencyFacts): Urgency {
  const rule = rules.find((candidate) => matches(candidate.when, facts));
  return rule ? { level: rule.level, reason: rule.reason } : defaultUrgency;
}

function matches(when: UrgencyCondition, facts: UrgencyFacts): boolean {
  const msLeft = facts.dueAt ? facts.dueAt.getTime() - facts.now.getTime() : undefined;
  const checks: (boolean | undefined)[] = [
    when.taskTypes === undefined ? undefined : when.taskTypes.includes(facts.taskType),
    when.overdue === undefined ? undefined : (msLeft !== undefined && msLeft < 0) === when.overdue,
    when.dueWithinHours === undefined ? undefined : msLeft !== undefined && msLeft <= when.dueWithinHours * hourMs,
    when.sloHoursLeftBelow === undefined
      ? undefined
      : facts.sloSecondsLeft !== undefined && facts.sloSecondsLeft < when.sloHoursLeftBelow * 3600,
    when.etaPastDeadline === undefined
      ? undefined
      : facts.etaPastDeadline !== undefined && facts.etaPastDeadline === when.etaPastDeadline,
    when.flagged === undefined ? undefined : facts.tags.includes(urgentFlagTag) === when.flagged,
    when.payload === undefined ? undefined : textAt(facts.payload, when.payload.path) === when.payload.equals,
  ];
  return checks.every((check) => check !== false);
}

/** The scalar at a dotted path as text; undefined for objects, arrays and missing fields. */
function textAt(payload: Record<string, unknown>, path: string): string | undefined {
  let value: unknown = payload;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, key))
      return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}
