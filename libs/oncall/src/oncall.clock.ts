/** The on-call context's time: injected so tests decide who is on call "now" and when escalations are due. */
export interface Clock {
  now(): Date;
}

export const ONCALL_CLOCK = Symbol('taskinbox.oncall.clock');
export const systemClock: Clock = { now: () => new Date() };
