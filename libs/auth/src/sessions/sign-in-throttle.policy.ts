/** What is remembered of one key's (an account's or an address's) recent sign-in attempts. */
export interface ThrottleState {
  attempts: number;
  nextAllowedAt: number;
  updatedAt: number;
}

export interface ThrottlePolicy {
  /** Attempts allowed back to back before delays start. */
  freeAttempts: number;
  /** The first delay; each attempt after it doubles it. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A key with no attempt for this long starts afresh. */
  forgetAfterMs: number;
}

/** Per account: a person mistyping a few times is never slowed; guessing is, more and more. */
export const perAccount: ThrottlePolicy = { freeAttempts: 5, baseDelayMs: 1000, maxDelayMs: 15 * 60_000, forgetAfterMs: 3600_000 };
/** Per client address: an office behind one address has more room, a guesser spraying accounts does not. */
export const perAddress: ThrottlePolicy = { freeAttempts: 20, baseDelayMs: 1000, maxDelayMs: 15 * 60_000, forgetAfterMs: 3600_000 };

export type AttemptDecision = { allowed: true; next: ThrottleState } | { allowed: false; retryAfterMs: number };

/**
 * Decides one attempt before its password is checked, so concurrent attempts are counted too.
 * The first `freeAttempts` pass; each later one sets a delay (1 s, 2 s, 4 s, … up to the maximum)
 * before the next may be tried, and attempts within a delay are refused without counting.
 */
export function decideAttempt(state: ThrottleState | null, now: number, policy: ThrottlePolicy): AttemptDecision {
  const current = state && now - state.updatedAt < policy.forgetAfterMs ? state : null;
  if (current && now < current.nextAllowedAt) return { allowed: false, retryAfterMs: current.nextAllowedAt - now };
  const attempts = (current?.attempts ?? 0) + 1;
  const over = attempts - policy.freeAttempts;
  const delay = over > 0 ? Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (over - 1)) : 0;
  return { allowed: true, next: { attempts, nextAllowedAt: now + delay, updatedAt: now } };
}
