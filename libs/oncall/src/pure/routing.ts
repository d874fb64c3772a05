// Routing rules as plain data: which rule a new task matches, and when its escalation steps fall due.

/** A task's priority, which serves as its urgency level (as @taskinbox/domain spells it). */
export type Priority = 'low' | 'normal' | 'high' | 'urgent';

/** Where a rule or an escalation step sends a task: the schedule's people on call now, a group or a person. */
export interface RouteTarget {
  kind: 'schedule' | 'group' | 'user';
  id: string;
}

/** Every list given must contain one of the task's values; a rule with no lists matches every task. */
export interface RouteMatch {
  taskTypes?: string[];
  priorities?: Priority[];
  tags?: string[];
}

export interface EscalationStep {
  /** Minutes after the previous step (or the routing) while the task is still unclaimed. */
  afterMinutes: number;
  target: RouteTarget;
}

export interface RoutingRule {
  id: string;
  match: RouteMatch;
  target: RouteTarget;
  escalation: EscalationStep[];
}

/** What routing reads of a new task. Tasks without a priority count as normal. */
export interface RoutableTask {
  taskType: string;
  priority?: Priority;
  tags?: string[];
}

export function matches(match: RouteMatch, task: RoutableTask): boolean {
  if (match.taskTypes?.length && !match.taskTypes.includes(task.taskType)) return false;
  if (match.priorities?.length && !match.priorities.includes(task.priority ?? 'normal')) return false;
  if (match.tags?.length && !match.tags.some((tag) => (task.tags ?? []).includes(tag))) return false;
  return true;
}

/** The first rule, in the organisation's order, that the task matches: first match wins. */
export const firstMatch = <Rule extends RoutingRule>(rules: readonly Rule[], task: RoutableTask): Rule | undefined =>
  rules.find((rule) => matches(rule.match, task));

/** When step `step` (0-based) of `steps` falls due, counted from `from`; null when there is none. */
export function escalationDue(steps: readonly EscalationStep[], step: number, from: number): number | null {
  const next = steps[step];
  return next ? from + next.afterMinutes * 60_000 : null;
}
