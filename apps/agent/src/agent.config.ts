import { userInfo } from 'node:os';
import { labelProblem } from '@taskinbox/device-protocol';
import { AgentClock } from './agent.clock';

/** The agent's settings: environment (the systemd unit's EnvironmentFile) and command-line flags. */
export interface AgentConfig {
  /** TASKINBOX_AGENT_STATE_DIR: identity (nkey seed), cached schedules, reports not yet delivered. */
  stateDir: string;
  /** TASKINBOX_AGENT_RUN_AS: the user jobs run as when they name none (never root by default). */
  runAs: string;
  /** TASKINBOX_AGENT_ALLOWED_USERS: users a job may name in runAs (comma-separated); root only if listed. */
  allowedUsers: string[];
  /** TASKINBOX_AGENT_LABELS: `key=value,…` reported to the server (device groups select on them). */
  labels: Record<string, string>;
  /** TASKINBOX_AGENT_KILL_GRACE_MS: after SIGTERM, how long a timed-out process group has before SIGKILL. */
  killGraceMs: number;
  /** TASKINBOX_AGENT_ALLOW_HTTP=1: talk plain HTTP to a server that is not on this machine (tests, labs). */
  allowHttp: boolean;
  /** TASKINBOX_AGENT_MAX_BACKOFF_MS: longest wait between attempts to reach the server or NATS. */
  maxBackoffMs: number;
  clock: AgentClock;
}

export class AgentConfigError extends Error {}

export function loadAgentConfig(env: NodeJS.ProcessEnv = process.env): AgentConfig {
  const root = process.getuid?.() === 0;
  const me = userInfo().username;
  const runAs = env.TASKINBOX_AGENT_RUN_AS || (root ? 'taskinbox-run' : me);
  const allowedUsers = (env.TASKINBOX_AGENT_ALLOWED_USERS || runAs)
    .split(',')
    .map((user) => user.trim())
    .filter(Boolean);
  const labels: Record<string, string> = {};
  for (const pair of (env.TASKINBOX_AGENT_LABELS ?? '').split(',').filter((part) => part.trim())) {
    const [key, ...value] = pair.split('=');
    labels[key.trim()] = value.join('=').trim();
  }
  const problem = labelProblem(labels);
  if (problem) throw new AgentConfigError(`TASKINBOX_AGENT_LABELS ${problem}`);
  const number = (name: string, fallback: number): number => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isFinite(value) || value < 0) throw new AgentConfigError(`${name} must be a number of milliseconds`);
    return value;
  };
  let clock = new AgentClock();
  if (env.TASKINBOX_AGENT_FAKE_TIME) {
    const start = Date.parse(env.TASKINBOX_AGENT_FAKE_TIME);
    const speed = Number(env.TASKINBOX_AGENT_TIME_SPEED ?? 1);
    if (Number.isNaN(start) || !(speed > 0)) throw new AgentConfigError('TASKINBOX_AGENT_FAKE_TIME / _TIME_SPEED are not a time and a speed');
    clock = new AgentClock(start, speed);
  }
  return {
    stateDir: env.TASKINBOX_AGENT_STATE_DIR || '/var/lib/taskinbox-agent',
    runAs,
    allowedUsers,
    labels,
    killGraceMs: number('TASKINBOX_AGENT_KILL_GRACE_MS', 5000),
    allowHttp: env.TASKINBOX_AGENT_ALLOW_HTTP === '1',
    maxBackoffMs: number('TASKINBOX_AGENT_MAX_BACKOFF_MS', 30_000),
    clock,
  };
}

/** Plain HTTP only to this machine, unless allowed: the access token and job output cross this link. */
export function checkServerUrl(url: string, allowHttp: boolean): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AgentConfigError(`'${url}' is not a URL`);
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol === 'http:' && !local && !allowHttp)
    throw new AgentConfigError(`refusing plain HTTP to ${parsed.host}: use https:// (or TASKINBOX_AGENT_ALLOW_HTTP=1)`);
  if (!['http:', 'https:'].includes(parsed.protocol)) throw new AgentConfigError(`'${url}' is not an http(s) URL`);
  return parsed.origin;
}
