// What an agent does with a schedule's slots. Pure: times come in, decisions go out.

/** Slots that came due while the agent could not run them (it was stopped, or the machine slept). */
export type MisfirePolicy = 'skip' | 'run_once' | 'run_all';
/** A slot that comes due while an earlier run of the same schedule is still running. */
export type OverlapPolicy = 'allow' | 'forbid' | 'replace';

export const misfirePolicies: readonly MisfirePolicy[] = ['skip', 'run_once', 'run_all'];
export const overlapPolicies: readonly OverlapPolicy[] = ['allow', 'forbid', 'replace'];

/** Why a slot did not run; recorded as RunMissed. */
export type MissedReason =
  /** misfire policy skip: a slot that came due while the agent was not running. */
  | 'misfire_skipped'
  /** misfire policy run_once: an older missed slot, folded into the run of the newest. */
  | 'misfire_coalesced'
  /** later than the starting deadline. */
  | 'deadline_passed'
  /** overlap policy forbid: the previous run was still running. */
  | 'overlap_forbidden';

export const missedReasons: readonly MissedReason[] = [
  'misfire_skipped',
  'misfire_coalesced',
  'deadline_passed',
  'overlap_forbidden',
];

/** A slot is on time while it is less than this late; later it is a misfire (a timer that fired late). */
export const onTimeToleranceMs = 5_000;

export interface MissedSlot {
  at: Date;
  reason: MissedReason;
}

export interface SlotPlan {
  run: Date[];
  missed: MissedSlot[];
}

/**
 * The slots due at `now`, oldest first, split into those to run and those to record as missed.
 * A slot later than `startingDeadlineSeconds` never runs; of the rest, a slot that is on time
 * always runs, and late ones follow the misfire policy: skip records them missed, run_once runs
 * only the newest, run_all runs each.
 */
export function planDueSlots(
  due: readonly Date[],
  policy: MisfirePolicy,
  startingDeadlineSeconds: number | null,
  now: Date,
  /** How late a slot may be and still count as on time (an agent whose clock runs fast scales it). */
  toleranceMs = onTimeToleranceMs,
): SlotPlan {
  const plan: SlotPlan = { run: [], missed: [] };
  const late: Date[] = [];
  for (const at of due) {
    const lateMs = now.getTime() - at.getTime();
    if (startingDeadlineSeconds !== null && lateMs > startingDeadlineSeconds * 1000) {
      plan.missed.push({ at, reason: 'deadline_passed' });
    } else if (lateMs <= toleranceMs) {
      plan.run.push(at);
    } else {
      late.push(at);
    }
  }
  if (policy === 'run_all') plan.run.unshift(...late);
  else if (policy === 'skip') plan.missed.push(...late.map((at) => ({ at, reason: 'misfire_skipped' as const })));
  else if (late.length > 0) {
    // run_once: the newest late slot runs unless an on-time slot runs anyway.
    const runsAnyway = plan.run.length > 0;
    const coalesced = runsAnyway ? late : late.slice(0, -1);
    plan.missed.push(...coalesced.map((at) => ({ at, reason: 'misfire_coalesced' as const })));
    if (!runsAnyway) plan.run.unshift(late[late.length - 1]);
  }
  plan.missed.sort((a, b) => a.at.getTime() - b.at.getTime());
  return plan;
}

export type OverlapDecision =
  | { start: true; replace: string[] }
  | { start: false; reason: 'overlap_forbidden' };

/** What to do with a slot that comes due while `running` (run ids of the same schedule) are still running. */
export function decideOverlap(policy: OverlapPolicy, running: readonly string[]): OverlapDecision {
  if (running.length === 0 || policy === 'allow') return { start: true, replace: [] };
  if (policy === 'forbid') return { start: false, reason: 'overlap_forbidden' };
  return { start: true, replace: [...running] };
}
