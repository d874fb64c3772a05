import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, jwtSecretOf, loadConfig, loadServiceConfig, serviceConfigNeeds } from './config';

const secret = 'x'.repeat(32);

describe('loadConfig', () => {
  it('fills documented defaults and freezes the result', () => {
    const config = loadConfig({ JWT_SECRET: secret });
    expect(config.http.port).toBe(3000);
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/taskinbox');
    expect(config.eventStore).toEqual({ kind: 'postgres' });
    expect(config.input).toEqual({ maxDepth: 32, maxKeys: 1000, maxStringLength: 100_000 });
    expect(Object.isFrozen(config)).toBe(true);
    expect(config.auth).toEqual({ cacheMs: 5000, passwordHashConcurrency: 2, trustedProxies: [] });
    expect(config.publicUrl).toBe('http://localhost:3000');
  });

  it('reads the account settings and refuses bad ones', () => {
    const config = loadConfig({
      JWT_SECRET: secret,
      TRUST_PROXY: '10.0.0.0/8, 127.0.0.1',
      PUBLIC_URL: 'https://tasks.example.com/',
    });
    expect(config.auth.trustedProxies).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(config.publicUrl).toBe('https://tasks.example.com');
    expect(loadConfig({ JWT_SECRET: secret, HTTP_PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(() =>
      loadConfig({
        JWT_SECRET: secret,
        TRUST_PROXY: 'proxy.local',
        PUBLIC_URL: 'ftp://x',
        PASSWORD_HASH_CONCURRENCY: '0',
      }),
    ).toThrow(
      expect.objectContaining({
        problems: [
          "PASSWORD_HASH_CONCURRENCY must be an integer from 1 to 64, got '0'",
          "TRUST_PROXY entries must be IP addresses or CIDRs, got 'proxy.local'",
          "PUBLIC_URL must use http: or https:, got 'ftp://x'",
        ],
      }),
    );
  });

  it('reads the webhook settings and refuses bad ones', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const config = loadConfig({
      JWT_SECRET: secret,
      WEBHOOK_SECRET_KEY: key,
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1, 10.0.0.0/8,::1',
    });
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.webhooks.secretKey?.equals(Buffer.alloc(32, 7))).toBe(true);
    expect(config.webhooks.allowedHosts).toEqual(['127.0.0.1', '10.0.0.0/8', '::1']);
    expect(config.webhooks.disableAfterHours).toBe(120);
    expect(loadConfig({ JWT_SECRET: secret }).webhooks).toMatchObject({ secretKey: undefined, allowedHosts: [] });
    expect(() =>
      loadConfig({
        JWT_SECRET: secret,
        WEBHOOK_SECRET_KEY: 'c2hvcnQ=',
        WEBHOOK_ALLOWED_HOSTS: 'example.com,10.0.0.0/33',
        REDIS_URL: 'http://x',
      }),
    ).toThrow(
      expect.objectContaining({
        problems: [
          'WEBHOOK_SECRET_KEY must be base64 of exactly 32 bytes',
          "WEBHOOK_ALLOWED_HOSTS entries must be IP addresses or CIDRs, got 'example.com'",
          "WEBHOOK_ALLOWED_HOSTS entries must be IP addresses or CIDRs, got '10.0.0.0/33'",
          "REDIS_URL must use redis: or rediss:, got 'http://x'",
        ],
      }),
    );
  });

  it('reads the NATS settings: prefix, creds file contents, issuer file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'config-'));
    const creds = path.join(dir, 'user.creds');
    writeFileSync(
      creds,
      '-----BEGIN NATS USER JWT-----\neyJ…\n------END NATS USER JWT------\n-----BEGIN USER NKEY SEED-----\nSU…\n',
    );
    const config = loadConfig({
      JWT_SECRET: secret,
      NATS_CREDS: creds,
      NATS_ISSUER: 'issuer.json',
      NATS_SUBJECT_PREFIX: 'acme_inbox',
    });
    expect(config.nats).toEqual({
      url: 'nats://127.0.0.1:4222',
      creds: readFileSync(creds, 'utf8'),
      prefix: 'acme_inbox',
      issuerFile: path.resolve('issuer.json'),
      streamReplicas: 1,
    });
    expect(loadConfig({ JWT_SECRET: secret }).nats).toMatchObject({
      prefix: 'taskinbox',
      creds: undefined,
      issuerFile: undefined,
    });

    writeFileSync(creds, 'not creds');
    expect(() => loadConfig({ JWT_SECRET: secret, NATS_CREDS: creds, NATS_SUBJECT_PREFIX: 'a.b' })).toThrow(
      expect.objectContaining({
        problems: [
          "NATS_SUBJECT_PREFIX must be a lowercase letter then up to 31 of a-z, 0-9 and _, got 'a.b'",
          `NATS_CREDS must name a NATS .creds file (user JWT and nkey seed): '${creds}' is not one`,
        ],
      }),
    );
    expect(() => loadConfig({ JWT_SECRET: secret, NATS_CREDS: path.join(dir, 'missing.creds') })).toThrow(
      /NATS_CREDS cannot be read/,
    );
    rmSync(dir, { recursive: true });
  });

  it('names every bad variable at once', () => {
    try {
      loadConfig({
        JWT_SECRET: 'short',
        HTTP_PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        EVENT_STORE: 'eventstoredb',
        INPUT_MAX_DEPTH: '1',
      });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const { problems } = error as ConfigError;
      expect(problems).toEqual(
        expect.arrayContaining([
          'JWT_SECRET must be at least 32 characters',
          "HTTP_PORT must be an integer from 0 to 65535, got 'eighty'",
          "DATABASE_URL must use postgres: or postgresql:, got 'mysql://x'",
          'EVENTSTORE_URL is required',
          "INPUT_MAX_DEPTH must be an integer from 2 to 1000, got '1'",
        ]),
      );
    }
  });

  it('asks for JWT_SECRET only in services that sign tokens, and still checks one that is given', () => {
    expect(() => loadConfig({})).toThrow('JWT_SECRET is required');
    const relay = loadConfig({}, { jwtSecret: false });
    expect(relay.jwtSecret).toBeUndefined();
    expect(() => jwtSecretOf(relay)).toThrow('JWT_SECRET is required by a module of this service');
    expect(() => loadConfig({ JWT_SECRET: 'short' }, { jwtSecret: false })).toThrow(
      'JWT_SECRET must be at least 32 characters',
    );
    expect(jwtSecretOf(loadConfig({ JWT_SECRET: secret }))).toBe(secret);
  });
});

describe('loadServiceConfig', () => {
  const webhookKey = Buffer.alloc(32, 7).toString('base64');

  it('starts the relay, the projector and the CLI with neither JWT_SECRET nor WEBHOOK_SECRET_KEY', () => {
    for (const service of ['relay', 'projector', 'cli'] as const) {
      const config = loadServiceConfig(service, {});
      expect(config.jwtSecret).toBeUndefined();
      expect(config.webhooks.secretKey).toBeUndefined();
    }
  });

  it('refuses to start the query service without JWT_SECRET, naming it', () => {
    expect(() => loadServiceConfig('query', {})).toThrow(ConfigError);
    expect(() => loadServiceConfig('query', {})).toThrow(/JWT_SECRET is required/);
    expect(loadServiceConfig('query', { JWT_SECRET: secret, WEBHOOK_SECRET_KEY: webhookKey }).jwtSecret).toBe(secret);
  });

  it('refuses to start the services that keep webhook, inbound or action secrets without WEBHOOK_SECRET_KEY, naming it', () => {
    for (const service of ['taskinbox', 'ingest', 'webhooks', 'query'] as const) {
      expect(() => loadServiceConfig(service, { JWT_SECRET: secret })).toThrow(/WEBHOOK_SECRET_KEY is required/);
      expect(
        loadServiceConfig(service, { JWT_SECRET: secret, WEBHOOK_SECRET_KEY: webhookKey }).webhooks.secretKey,
      ).toHaveLength(32);
    }
  });

  // The deployed services start from their mains: each loads exactly its own needs, with no placeholder secret.
  it('is what every service main loads its configuration with', () => {
    for (const service of Object.keys(serviceConfigNeeds)) {
      const main = readFileSync(path.resolve(__dirname, `../../../apps/${service}/src/main.ts`), 'utf8');
      expect({
        service,
        loads: main.includes(`loadServiceConfig('${service}')`),
        placeholder: /loadConfig\(|JWT_SECRET:/.test(main),
      }).toEqual({
        service,
        loads: true,
        placeholder: false,
      });
    }
  });
});
