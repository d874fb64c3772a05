/** Nest injection tokens of the devices module's plain (non-class) providers. */
export const DEVICE_STORE = Symbol('taskinbox.devices.device-store');
export const RUN_STORE = Symbol('taskinbox.devices.run-store');
export const NATS_ISSUER = Symbol('taskinbox.devices.nats-issuer');
