// Read and validated once at start; frozen afterwards. Every variable is documented
// here and in README.md ("Configuration").

export interface Config {
  /** DATABASE_URL: PostgreSQL for the event store and read models. */
  databaseUrl: string;
  /** DATABASE_POOL_SIZE: connections this process keeps open to PostgreSQL. */
  databasePoolSize: number;
  /** NATS_URL: NATS server (JetStream enabled). */
  natsUrl: string;
  /** HTTP_HOST / HTTP_PORT: where the HTTP API listens. */
  http: { host: string; port: number };
  /** BODY_LIMIT_BYTES: largest accepted request body; larger bodies get 413. */
  bodyLimitBytes: number;
  /** JWT_SECRET: signs session tokens; at least 32 characters. */
  jwtSecret: string;
  /** JWT_TTL_SECONDS: how long a login lasts. */
  jwtTtlSeconds: number;
  /** API_KEY_CACHE_MS: how long a verified API key is trusted before it is looked up again. */
  apiKeyCacheMs: number;
  /** EVENT_STORE: 'postgres' (default) or 'eventstoredb' (then EVENTSTORE_URL is required). */
  eventStore: { kind: 'postgres' } | { kind: 'eventstoredb'; url: string };
  /** LOG_LEVEL: pino level (fatal, error, warn, info, debug, trace, silent). */
  logLevel: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const problems: string[] = [];

  const text = (name: string, fallback?: string): string => {
    const value = env[name] ?? fallback;
    if (value === undefined || value === '') {
      problems.push(`${name} is required`);
      return '';
    }
    return value;
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max}, got '${raw}'`);
      return fallback;
    }
    return value;
  };
  const url = (name: string, fallback: string, protocols: string[]): string => {
    const value = text(name, fallback);
    try {
      if (value && !protocols.includes(new URL(value).protocol)) {
        problems.push(`${name} must use ${protocols.join(' or ')}, got '${value}'`);
      }
    } catch {
      problems.push(`${name} is not a URL: '${value}'`);
    }
    return value;
  };

  const jwtSecret = text('JWT_SECRET');
  if (jwtSecret && jwtSecret.length < 32) problems.push('JWT_SECRET must be at least 32 characters');

  const logLevel = env.LOG_LEVEL || 'info';
  if (!levels.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${levels.join(', ')}`);

  const storeKind = env.EVENT_STORE || 'postgres';
  let eventStore: Config['eventStore'] = { kind: 'postgres' };
  if (storeKind === 'eventstoredb') {
    eventStore = { kind: 'eventstoredb', url: text('EVENTSTORE_URL') };
  } else if (storeKind !== 'postgres') {
    problems.push(`EVENT_STORE must be 'postgres' or 'eventstoredb', got '${storeKind}'`);
  }

  const config: Config = {
    databaseUrl: url('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/taskinbox', ['postgres:', 'postgresql:']),
    databasePoolSize: int('DATABASE_POOL_SIZE', 20, 1, 500),
    natsUrl: url('NATS_URL', 'nats://127.0.0.1:4222', ['nats:', 'tls:']),
    http: { host: env.HTTP_HOST || '0.0.0.0', port: int('HTTP_PORT', 3000, 0, 65535) },
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    jwtSecret,
    jwtTtlSeconds: int('JWT_TTL_SECONDS', 12 * 3600, 60, 30 * 24 * 3600),
    apiKeyCacheMs: int('API_KEY_CACHE_MS', 10_000, 0, 300_000),
    eventStore,
    logLevel,
  };

  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}
