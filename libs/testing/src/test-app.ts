import { jetstreamManager } from '@nats-io/jetstream';
import { type DynamicModule, type INestApplicationContext, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { AccountService, ApiKeyService, AuthModule, InvitationService, PasswordHasher, type Scope, SessionService } from '@taskinbox/auth';
import { v7 as uuidv7 } from 'uuid';
import { type Config, ConfigModule, loadConfig } from '@taskinbox/config';
import { MetricsModule } from '@taskinbox/metrics';
import { DatabaseModule } from '@taskinbox/database';
import type { Role } from '@taskinbox/domain';
import { EventStoreModule } from '@taskinbox/event-store';
import { createLogger, startService, watchShutdownHooks } from '@taskinbox/http';
import { natsNames } from '@taskinbox/messaging';
import { createTestDatabase, type TestDatabase } from './test-database';
import { connectTestNats, onceMoreAfterHandshakeTimeout, testNatsEnv, testNatsPrefix } from './test-nats';

export interface TestOrganisation {
  id: string;
  slug: string;
  /** Bearer tokens of one user per role, and of one service API key with both scopes. */
  tokens: Record<Role | 'service', string>;
  userIds: Record<Role, string>;
  serviceId: string;
  /** Signs in one more user with `role` and returns their token and credentials. */
  addUser(role: Role): Promise<{ id: string; token: string; email: string; password: string }>;
  /**
   * Many signed-in people at once for races, cheaply: one shared password hashed once, the rows
   * written directly, each with a real session.
   */
  addUsers(role: Role, count: number): Promise<{ id: string; token: string }[]>;
  issueApiKey(scopes: Scope[]): Promise<{ id: string; key: string }>;
  /** Creates a task of `type` over HTTP as the organisation's service; its id. */
  createTask(type: string): Promise<string>;
}

export interface TestApp {
  url: string;
  config: Readonly<Config>;
  database: TestDatabase;
  pool: Pool;
  app: NestFastifyApplication;
  createOrganisation(label?: string): Promise<TestOrganisation>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  imports: (Type<unknown> | DynamicModule)[];
  natsQueue?: string;
  webApp?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Another instance of the same deployment: its database and secrets. That app drops the database. */
  replicaOf?: TestApp;
}

/**
 * The real application modules on a fresh test database, listening on a random port, connected
 * to the test run's nats-server as taskinbox's services under a subject prefix of its own
 * (`config.nats.prefix`; its stream is deleted on close), with the NATS request/reply listener
 * when `natsQueue` is given and the built admin SPA (dist/web) when `webApp` is set.
 */
export function startTestApp(options: TestAppOptions): Promise<TestApp> {
  return onceMoreAfterHandshakeTimeout(`test app of ${currentSuite()}`, () => startTestAppOnce(options));
}

async function startTestAppOnce(options: TestAppOptions): Promise<TestApp> {
  const database = options.replicaOf?.database ?? (await createTestDatabase('app'));
  const config = loadConfig({
    JWT_SECRET: options.replicaOf?.config.jwtSecret ?? randomBytes(32).toString('hex'),
    DATABASE_URL: database.url,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    NATS_SUBJECT_PREFIX: options.replicaOf?.config.nats.prefix ?? testNatsPrefix(),
    // Attachment bytes of this app alone, removed on close.
    ATTACHMENTS_DIR: options.replicaOf?.config.attachments.dir ?? path.join(os.tmpdir(), `taskinbox-attachments-${randomBytes(6).toString('hex')}`),
    ...testNatsEnv(),
    ...options.env,
  });

  @Module({})
  class TestRootModule {}
  const root: DynamicModule = {
    module: TestRootModule,
    imports: [ConfigModule.forRoot(config), MetricsModule, DatabaseModule, EventStoreModule, AuthModule, ...options.imports],
  };
  const app = await startService(root, config, createLogger(config.logLevel), {
    natsQueue: options.natsQueue,
    webAppDir: options.webApp ? config.webAppDir : undefined,
  }).catch(async (error: unknown) => {
    if (!options.replicaOf) await database.drop();
    throw error;
  });
  // Test logs are silent; a close that hangs still says where, and in which suite.
  // Benches start test apps outside Jest, where there is no `expect`.
  const suite = currentSuite();
  watchShutdownHooks(app, (slow) => process.stderr.write(`test app of ${suite}: ${slow.of}.${slow.hook} still running after ${slow.seconds} s\n`));
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  const pool = new Pool({ connectionString: database.url, max: 2 });
  // Dropping the database at the end terminates idle clients; that is expected here.
  pool.on('error', () => undefined);
  const accounts = app.get(AccountService);
  const apiKeys = app.get(ApiKeyService);

  return {
    url,
    config,
    database,
    pool,
    app,
    async createOrganisation(label = 'org') {
      const slug = `${label}-${randomBytes(4).toString('hex')}`;
      const org = await accounts.createOrganisation(slug, label);
      const addUser = async (role: Role) => {
        const email = `${role}-${randomBytes(4).toString('hex')}@${slug}.test`;
        const password = randomBytes(12).toString('hex');
        const person = await joinByInvitation(app, org.id, { email, name: `${role} of ${slug}`, password, role });
        return { ...person, email, password };
      };
      const [admin, member, viewer] = await Promise.all([addUser('admin'), addUser('member'), addUser('viewer')]);
      const service = await apiKeys.issue(org.id, 'test service', ['tasks:write', 'tasks:read'], null);
      return {
        id: org.id,
        slug,
        tokens: { admin: admin.token, member: member.token, viewer: viewer.token, service: service.key },
        userIds: { admin: admin.id, member: member.id, viewer: viewer.id },
        serviceId: service.id,
        addUser,
        async addUsers(role: Role, count: number) {
          const passwordHash = await app.get(PasswordHasher).hash(randomBytes(12).toString('hex'));
          const ids = Array.from({ length: count }, () => uuidv7());
          await pool.query(
            `WITH people AS (
               INSERT INTO users (id, email, name, password_hash)
               SELECT id, 'many-' || id || '@' || $2 || '.test', 'one of many', $3 FROM unnest($1::uuid[]) AS id
               RETURNING id)
             INSERT INTO memberships (org_id, user_id, role) SELECT $4, id, $5 FROM people`,
            [ids, slug, passwordHash, org.id, role],
          );
          const sessions = app.get(SessionService);
          return Promise.all(ids.map(async (id) => ({ id, token: (await sessions.signIn(id, org.id)).accessToken })));
        },
        issueApiKey: (scopes: Scope[]) => apiKeys.issue(org.id, 'extra key', scopes, null),
        async createTask(type: string) {
          const created = await call(url, 'POST', '/api/tasks', { token: service.key, body: { type, title: `a ${type}` } });
          if (created.status !== 201) throw new Error(`create failed: ${created.status} ${JSON.stringify(created.body)}`);
          return created.body.id as string;
        },
      };
    },
    async close() {
      const slow = setTimeout(() => process.stderr.write(`test app of ${suite}: close still running after 30 s\n`), 30_000);
      await app.close().finally(() => clearTimeout(slow));
      await pool.end();
      // A replica leaves the database and the stream to the app it joined.
      if (options.replicaOf) return;
      await database.drop();
      await rm(config.attachments.dir, { recursive: true, force: true });
      // Best effort: the suite's tests are done, and the run's server goes with all its streams at the end.
      try {
        const nc = await connectTestNats({ name: 'test-cleanup' });
        try {
          await (await jetstreamManager(nc)).streams.delete(natsNames(config.nats.prefix).stream).catch(() => undefined);
        } finally {
          await nc.close();
        }
      } catch (error) {
        process.stderr.write(`test app of ${suite}: its NATS stream was left for the run's end: ${(error as Error).message}\n`);
      }
    },
  };
}

/** The test file running now; benches start test apps outside Jest, where there is no `expect`. */
function currentSuite(): string {
  const testPath = typeof expect === 'undefined' ? undefined : expect.getState().testPath;
  return testPath ? path.relative(process.cwd(), testPath) : 'a bench';
}

/**
 * A person joins an organisation the way people do: an invitation, accepted with a password of
 * their own (a new account). Answers their id and the session the acceptance signed in.
 */
export async function joinByInvitation(
  app: INestApplicationContext,
  orgId: string,
  person: { email: string; name: string; password: string; role: Role },
): Promise<{ id: string; token: string }> {
  const invitations = app.get(InvitationService);
  const { link } = await invitations.invite(orgId, person.email, person.role, null);
  const session = await invitations.accept(link.slice(link.indexOf('#') + 1), { newAccount: true, ...person }, '127.0.0.1');
  const claims = JSON.parse(Buffer.from(session.accessToken.split('.')[1], 'base64url').toString()) as { sub: string };
  return { id: claims.sub, token: session.accessToken };
}

/** A small fetch wrapper for e2e tests: JSON in, status + JSON out. */
export async function call(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined || options.rawBody !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body, headers: response.headers };
}

/** The accounts context alone on a database (no HTTP), for benches that prepare people and keys before starting a server. */
export function openAccounts(config: Readonly<Config>): Promise<INestApplicationContext> {
  @Module({})
  class AccountsOnlyModule {}
  return NestFactory.createApplicationContext(
    { module: AccountsOnlyModule, imports: [ConfigModule.forRoot(config), DatabaseModule, AuthModule] },
    { logger: false },
  );
}
