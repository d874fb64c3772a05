export const STREAM_OPTIONS = Symbol('taskinbox.stream-options');

export interface StreamOptions {
  /** Subject prefix the relay publishes under (its subjectPrefix option). */
  subjectPrefix: string;
  /** A comment line this often keeps proxies from closing an idle stream. */
  heartbeatMs: number;
}
