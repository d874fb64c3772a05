import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isIP } from 'node:net';

// Read and validated once at start; frozen afterwards. Every variable is documented
// here and in README.md ("Configuration").

export interface Config {
  /** DATABASE_URL: PostgreSQL for the event store and read models. */
  databaseUrl: string;
  /** DATABASE_POOL_SIZE: connections this process keeps open to PostgreSQL. */
  databasePoolSize: number;
  nats: {
    /** NATS_URL: NATS server (JetStream enabled, operator/JWT mode). */
    url: string;
    /**
     * NATS_CREDS: path of the `.creds` file (user JWT and nkey seed) this process connects with;
     * its contents, read at start. Absent: no credentials (only for a server without auth).
     */
    creds?: string;
    /**
     * NATS_SUBJECT_PREFIX: first token of every subject and stream name this installation uses
     * (`<prefix>.tasks.*`, `<prefix>.events.*`, stream `<PREFIX>_EVENTS`), so two installations
     * can share one NATS.
     */
    prefix: string;
    /**
     * NATS_ISSUER: path of the issuer file (`npm run cli -- nats:init` writes it): the keys that
     * issue and revoke organisations' event-reader credentials. Needed by the service with the
     * /api/event-readers routes.
     */
    issuerFile?: string;
    /** NATS_STREAM_REPLICAS: copies of the events stream a JetStream cluster keeps (3 in a three-node cluster). */
    streamReplicas: number;
  };
  devices: {
    /** DEVICES_NATS_URL: the NATS URL given to agents (default NATS_URL): an address the devices can reach. */
    natsUrl: string;
    /** DEVICES_NATS_JWT_TTL_SECONDS: lifetime of a device's NATS user JWT (at most 24 h); agents renew it over HTTPS. */
    natsJwtTtlSeconds: number;
    /** DEVICES_ACCESS_TTL_SECONDS: lifetime of a device's HTTPS access token; agents sign a new challenge before it ends. */
    accessTtlSeconds: number;
    /** DEVICES_HEARTBEAT_SECONDS: how often agents say they are alive; silent for three times this means offline. */
    heartbeatSeconds: number;
    /** DEVICES_POLL_SECONDS: how often agents ask for work unprompted, in case a wake-up was lost. */
    pollSeconds: number;
    /** DEVICES_AGENT_FILES_DIR: the built agent and its installer (npm run build:agent), served to devices. */
    agentFilesDir: string;
  };
  /** HTTP_HOST / HTTP_PORT: where the HTTP API listens. */
  http: { host: string; port: number };
  /** BODY_LIMIT_BYTES: largest accepted request body; larger bodies get 413. */
  bodyLimitBytes: number;
  /** What any request (HTTP or NATS) may hold; more is refused with 400 before any handler runs. */
  input: {
    /** INPUT_MAX_DEPTH: nesting of JSON objects and arrays (the body itself is level 1). */
    maxDepth: number;
    /** INPUT_MAX_KEYS: keys of one JSON object. */
    maxKeys: number;
    /** INPUT_MAX_STRING_LENGTH: characters of one string (a value, a key, a query parameter, a header). */
    maxStringLength: number;
  };
  /**
   * JWT_SECRET: signs session tokens (and file and status links); at least 32 characters.
   * Absent only in services loaded without it (the projector and relay sign nothing): read it
   * with jwtSecretOf, which refuses to go on without one.
   */
  jwtSecret?: string;
  /** JWT_TTL_SECONDS: how long a login lasts. */
  jwtTtlSeconds: number;
  /** API_KEY_CACHE_MS: how long a verified API key is trusted before it is looked up again. */
  apiKeyCacheMs: number;
  auth: {
    /**
     * AUTH_CACHE_MS: how long a session's membership (role, blocked) is reused without looking
     * again. Changes drop it at once on the process that made them and within about a second
     * on the others (PostgreSQL NOTIFY); this is only the bound when a notice is missed.
     */
    cacheMs: number;
    /** PASSWORD_HASH_CONCURRENCY: argon2 hashes computed at once; more sign-ins wait their turn. */
    passwordHashConcurrency: number;
    /**
     * TRUST_PROXY: comma-separated IPs/CIDRs of reverse proxies whose X-Forwarded-For names the
     * client (for sign-in throttling per address). Empty: the connecting address is the client.
     */
    trustedProxies: string[];
  };
  /** PUBLIC_URL: where people reach the app; invitation and password-reset links start with it. */
  publicUrl: string;

  /** EVENT_STORE: 'postgres' (default) or 'eventstoredb' (then EVENTSTORE_URL is required). */
  eventStore: { kind: 'postgres' } | { kind: 'eventstoredb'; url: string };
  /** WEB_APP_DIR: the built admin SPA (vite build output) that the HTTP server serves at /. */
  webAppDir: string;
  /** LOG_LEVEL: pino level (fatal, error, warn, info, debug, trace, silent). */
  logLevel: string;
  /**
   * METRICS_TOKEN: a scraper sends `Authorization: Bearer <token>` to read /metrics (16+
   * characters). Unset: /metrics is not served.
   */
  metricsToken?: string;
  health: {
    /** HEALTH_TIMEOUT_MS: each readiness check (PostgreSQL, NATS, Redis, lag) failing to answer within this is a failure. */
    timeoutMs: number;
    /** HEALTH_MAX_PROJECTOR_LAG: events the read-model projector may be behind the event store and still be ready. */
    maxProjectorLag: number;
    /** HEALTH_MAX_RELAY_LAG: events the relay may have yet to publish to NATS and still be ready. */
    maxRelayLag: number;
  };
  /** REDIS_URL: Redis for job queues (webhook deliveries); PostgreSQL stays the source of truth. */
  redisUrl: string;
  webhooks: {
    /**
     * WEBHOOK_SECRET_KEY: base64 of 32 bytes; encrypts endpoint signing secrets and headers at
     * rest (AES-256-GCM). Required by the services that use it (serviceConfigNeeds).
     */
    secretKey?: Buffer;
    /**
     * WEBHOOK_ALLOWED_HOSTS: comma-separated IPs/CIDRs that endpoints may reach although they are
     * private, loopback and so on (e.g. `10.0.0.0/8,127.0.0.1`). Empty: public addresses only.
     */
    allowedHosts: string[];
    /** WEBHOOK_DISABLE_AFTER_HOURS: an endpoint failing continuously this long is disabled. */
    disableAfterHours: number;
    /** WEBHOOK_MAX_IN_FLIGHT: concurrent requests to one endpoint, per worker process. */
    maxInFlightPerEndpoint: number;
    /** WEBHOOK_RATE_PER_SECOND: requests per second to one endpoint, per worker process. */
    ratePerSecond: number;
  };
  attachments: {
    /**
     * ATTACHMENTS_STORE: where attachment bytes live: `filesystem` (default, one process) or `s3`
     * (any S3-compatible object store; credentials from the AWS SDK's usual sources).
     */
    store: { kind: 'filesystem'; dir: string } | { kind: 's3'; bucket: string; endpoint?: string; region: string; forcePathStyle: boolean };
    /** ATTACHMENTS_DIR: the filesystem store's directory, and where uploads are staged (default `data/attachments`). */
    dir: string;
    /** ATTACHMENTS_MAX_FILE_BYTES: the largest file one upload may be; larger gets 413. */
    maxFileBytes: number;
    /** ATTACHMENTS_ORG_QUOTA_BYTES: all distinct files of one organisation together; more gets 413. */
    orgQuotaBytes: number;
    /** ATTACHMENTS_URL_TTL_SECONDS: how long a signed file URL handed to a browser works. */
    urlTtlSeconds: number;
    /** ATTACHMENTS_PREVIEW_TIMEOUT_MS: a preview (one PDF page, one image) taking longer fails and shows an icon. */
    previewTimeoutMs: number;
    /**
     * ATTACHMENTS_FETCH_ALLOWED_HOSTS: comma-separated IPs/CIDRs that URL attachments may be fetched
     * from although they are private, loopback and so on. Empty: public addresses only.
     */
    fetchAllowedHosts: string[];
    /** ATTACHMENTS_FETCH_TIMEOUT_MS: fetching one URL attachment, body included, takes at most this long. */
    fetchTimeoutMs: number;
  };
  notifications: {
    /**
     * VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY: the server's Web Push identity (RFC 8292), base64url
     * P-256 keys made once (`npm start` makes them; `npx web-push generate-vapid-keys`). Unset: no push.
     */
    vapid?: { publicKey: string; privateKey: string; subject: string };
    /** SMTP_URL: e-mail notifications go through this server (smtp: or smtps:, credentials in the URL). Unset: no e-mail. */
    smtpUrl?: string;
    /** MAIL_FROM: the sender of notification e-mails. */
    mailFrom: string;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** One lowercase subject token: it also names the JetStream stream, so no dots, wildcards or dashes. */
export const natsPrefixPattern = /^[a-z][a-z0-9_]{0,31}$/;

const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** What a service reads beyond the settings every one has; a service that signs nothing needs no JWT_SECRET. */
export interface ConfigNeeds {
  /** JWT_SECRET: the service signs or checks session tokens, file or status links. */
  jwtSecret: boolean;
  /** WEBHOOK_SECRET_KEY: the service encrypts or decrypts webhook, inbound-source or custom-action secrets. */
  webhookSecretKey?: boolean;
}

/**
 * The secrets each service needs, so none is given one it does not use (no placeholder secrets
 * in a deployment): the one-process app and ingest (inbound sources) need both, the query
 * service checks sessions, the webhooks service both; the projector, relay and CLI neither.
 */
export const serviceConfigNeeds = {
  taskinbox: { jwtSecret: true, webhookSecretKey: true },
  ingest: { jwtSecret: true, webhookSecretKey: true },
  // query runs custom actions in the split deployment: their signing secrets are sealed with it.
  query: { jwtSecret: true, webhookSecretKey: true },
  webhooks: { jwtSecret: true, webhookSecretKey: true },
  projector: { jwtSecret: false, webhookSecretKey: false },
  relay: { jwtSecret: false, webhookSecretKey: false },
  cli: { jwtSecret: false, webhookSecretKey: false },
} as const satisfies Record<string, ConfigNeeds>;

export type ServiceName = keyof typeof serviceConfigNeeds;

/** The configuration of one service, refusing to start without a secret that service uses (the error names it). */
export function loadServiceConfig(service: ServiceName, env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  return loadConfig(env, serviceConfigNeeds[service]);
}

/** The signing secret, for the modules that sign or check tokens; a composition without it is a mistake. */
export function jwtSecretOf(config: Readonly<Config>): string {
  if (!config.jwtSecret) throw new ConfigError(['JWT_SECRET is required by a module of this service (it signs or checks tokens)']);
  return config.jwtSecret;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, needs: ConfigNeeds = { jwtSecret: true }): Readonly<Config> {
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

  const jwtSecret = needs.jwtSecret || env.JWT_SECRET ? text('JWT_SECRET') : undefined;
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

  const metricsToken = env.METRICS_TOKEN || undefined;
  if (metricsToken !== undefined && !/^[\x21-\x7e]{16,200}$/.test(metricsToken)) {
    problems.push('METRICS_TOKEN must be 16 to 200 printable ASCII characters without spaces');
  }

  const secretKeyText = env.WEBHOOK_SECRET_KEY;
  let webhookSecretKey: Buffer | undefined;
  if (needs.webhookSecretKey && !secretKeyText) {
    problems.push('WEBHOOK_SECRET_KEY is required (base64 of 32 bytes; `openssl rand -base64 32` makes one)');
  } else if (secretKeyText) {
    webhookSecretKey = Buffer.from(secretKeyText, 'base64');
    if (webhookSecretKey.length !== 32) problems.push('WEBHOOK_SECRET_KEY must be base64 of exactly 32 bytes');
  }
  const cidrs = (name: string): string[] => {
    const entries = (env[name] ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    for (const entry of entries) {
      const [address, bits, extra] = entry.split('/');
      const family = isIP(address);
      const max = family === 4 ? 32 : 128;
      const validBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= max);
      if (!family || !validBits || extra !== undefined) {
        problems.push(`${name} entries must be IP addresses or CIDRs, got '${entry}'`);
      }
    }
    return entries;
  };
  const allowedHosts = cidrs('WEBHOOK_ALLOWED_HOSTS');
  const httpPort = int('HTTP_PORT', 3000, 0, 65535);

  const natsPrefix = env.NATS_SUBJECT_PREFIX || 'taskinbox';
  if (!natsPrefixPattern.test(natsPrefix)) {
    problems.push(`NATS_SUBJECT_PREFIX must be a lowercase letter then up to 31 of a-z, 0-9 and _, got '${natsPrefix}'`);
  }
  let natsCreds: string | undefined;
  if (env.NATS_CREDS) {
    try {
      natsCreds = readFileSync(env.NATS_CREDS, 'utf8');
      if (!natsCreds.includes('BEGIN NATS USER JWT') || !natsCreds.includes('BEGIN USER NKEY SEED')) {
        problems.push(`NATS_CREDS must name a NATS .creds file (user JWT and nkey seed): '${env.NATS_CREDS}' is not one`);
      }
    } catch (error) {
      problems.push(`NATS_CREDS cannot be read: ${(error as Error).message}`);
    }
  }

  const attachmentsDir = path.resolve(env.ATTACHMENTS_DIR || 'data/attachments');
  const attachmentStoreKind = env.ATTACHMENTS_STORE || 'filesystem';
  let attachmentStore: Config['attachments']['store'] = { kind: 'filesystem', dir: attachmentsDir };
  if (attachmentStoreKind === 's3') {
    attachmentStore = {
      kind: 's3',
      bucket: text('ATTACHMENTS_S3_BUCKET'),
      endpoint: env.ATTACHMENTS_S3_ENDPOINT ? url('ATTACHMENTS_S3_ENDPOINT', '', ['http:', 'https:']) : undefined,
      region: env.ATTACHMENTS_S3_REGION || 'us-east-1',
      forcePathStyle: env.ATTACHMENTS_S3_FORCE_PATH_STYLE === 'true',
    };
  } else if (attachmentStoreKind !== 'filesystem') {
    problems.push(`ATTACHMENTS_STORE must be 'filesystem' or 's3', got '${attachmentStoreKind}'`);
  }

  let vapid: Config['notifications']['vapid'];
  if (env.VAPID_PUBLIC_KEY || env.VAPID_PRIVATE_KEY) {
    const publicKey = env.VAPID_PUBLIC_KEY ?? '';
    const privateKey = env.VAPID_PRIVATE_KEY ?? '';
    // Uncompressed P-256 point (65 bytes) and scalar (32 bytes), base64url without padding.
    if (!/^[A-Za-z0-9_-]{87}$/.test(publicKey)) problems.push('VAPID_PUBLIC_KEY must be a base64url P-256 public key (87 characters)');
    if (!/^[A-Za-z0-9_-]{43}$/.test(privateKey)) problems.push('VAPID_PRIVATE_KEY must be a base64url P-256 private key (43 characters)');
    const subject = env.VAPID_SUBJECT || 'mailto:taskinbox@localhost';
    if (!/^(mailto:|https:)/.test(subject)) problems.push(`VAPID_SUBJECT must be a mailto: or https: URL, got '${subject}'`);
    vapid = { publicKey, privateKey, subject };
  }

  const config: Config = {
    databaseUrl: url('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/taskinbox', ['postgres:', 'postgresql:']),
    databasePoolSize: int('DATABASE_POOL_SIZE', 20, 1, 500),
    nats: {
      url: url('NATS_URL', 'nats://127.0.0.1:4222', ['nats:', 'tls:']),
      creds: natsCreds,
      prefix: natsPrefix,
      issuerFile: env.NATS_ISSUER ? path.resolve(env.NATS_ISSUER) : undefined,
      streamReplicas: int('NATS_STREAM_REPLICAS', 1, 1, 5),
    },
    devices: {
      natsUrl: url('DEVICES_NATS_URL', env.NATS_URL || 'nats://127.0.0.1:4222', ['nats:', 'tls:']),
      natsJwtTtlSeconds: int('DEVICES_NATS_JWT_TTL_SECONDS', 12 * 3600, 60, 24 * 3600),
      accessTtlSeconds: int('DEVICES_ACCESS_TTL_SECONDS', 3600, 60, 24 * 3600),
      heartbeatSeconds: int('DEVICES_HEARTBEAT_SECONDS', 30, 1, 3600),
      pollSeconds: int('DEVICES_POLL_SECONDS', 300, 1, 24 * 3600),
      agentFilesDir: path.resolve(env.DEVICES_AGENT_FILES_DIR || 'dist/agent'),
    },
    http: { host: env.HTTP_HOST || '0.0.0.0', port: httpPort },
    bodyLimitBytes: int('BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    input: {
      maxDepth: int('INPUT_MAX_DEPTH', 32, 2, 1000),
      maxKeys: int('INPUT_MAX_KEYS', 1000, 10, 1_000_000),
      maxStringLength: int('INPUT_MAX_STRING_LENGTH', 100_000, 1000, 64 * 1024 * 1024),
    },
    jwtSecret,
    jwtTtlSeconds: int('JWT_TTL_SECONDS', 12 * 3600, 60, 30 * 24 * 3600),
    apiKeyCacheMs: int('API_KEY_CACHE_MS', 10_000, 0, 300_000),
    auth: {
      cacheMs: int('AUTH_CACHE_MS', 5_000, 0, 300_000),
      passwordHashConcurrency: int('PASSWORD_HASH_CONCURRENCY', 2, 1, 64),
      trustedProxies: cidrs('TRUST_PROXY'),
    },
    publicUrl: url('PUBLIC_URL', `http://localhost:${httpPort}`, ['http:', 'https:']).replace(/\/+$/, ''),
    eventStore,
    webAppDir: path.resolve(env.WEB_APP_DIR || 'dist/web'),
    logLevel,
    metricsToken,
    health: {
      timeoutMs: int('HEALTH_TIMEOUT_MS', 2000, 100, 60_000),
      maxProjectorLag: int('HEALTH_MAX_PROJECTOR_LAG', 1000, 0, 1_000_000),
      maxRelayLag: int('HEALTH_MAX_RELAY_LAG', 1000, 0, 1_000_000),
    },
    redisUrl: url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    webhooks: {
      secretKey: webhookSecretKey,
      allowedHosts,
      disableAfterHours: int('WEBHOOK_DISABLE_AFTER_HOURS', 120, 1, 24 * 365),
      maxInFlightPerEndpoint: int('WEBHOOK_MAX_IN_FLIGHT', 10, 1, 1000),
      ratePerSecond: int('WEBHOOK_RATE_PER_SECOND', 50, 1, 100_000),
    },
    attachments: {
      store: attachmentStore,
      dir: attachmentsDir,
      maxFileBytes: int('ATTACHMENTS_MAX_FILE_BYTES', 10 * 1024 * 1024, 1, 5 * 1024 ** 3),
      orgQuotaBytes: int('ATTACHMENTS_ORG_QUOTA_BYTES', 1024 ** 3, 1, 1024 ** 4),
      urlTtlSeconds: int('ATTACHMENTS_URL_TTL_SECONDS', 300, 10, 24 * 3600),
      previewTimeoutMs: int('ATTACHMENTS_PREVIEW_TIMEOUT_MS', 30_000, 1000, 600_000),
      fetchAllowedHosts: cidrs('ATTACHMENTS_FETCH_ALLOWED_HOSTS'),
      fetchTimeoutMs: int('ATTACHMENTS_FETCH_TIMEOUT_MS', 20_000, 1000, 600_000),
    },
    notifications: {
      vapid,
      smtpUrl: env.SMTP_URL ? url('SMTP_URL', '', ['smtp:', 'smtps:']) : undefined,
      mailFrom: env.MAIL_FROM || 'taskinbox <taskinbox@localhost>',
    },
  };

  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}
