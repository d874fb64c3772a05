export const STREAM_OPTIONS = Symbol('taskinbox.stream-options');

export interface StreamOptions {
  /** A comment line this often keeps proxies from closing an idle stream. */
  heartbeatMs: number;
}
