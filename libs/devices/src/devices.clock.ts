/** The devices context's time: injected so tests can move it (retention, token expiry, schedule views). */
export interface Clock {
  now(): Date;
}

export const DEVICES_CLOCK = Symbol('taskinbox.devices.clock');
export const systemClock: Clock = { now: () => new Date() };
