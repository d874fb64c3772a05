import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  accepts,
  freePort,
  type NatsServerProcess,
  type OwnPostgres,
  type OwnRedis,
  startNatsServer,
  startOwnPostgres,
  startOwnRedis,
} from '@taskinbox/testing';

// The split deployment on servers of its own: PostgreSQL, Redis and an operator-mode
// nats-server started here, and each taskinbox service as a separate `node dist/apps/<app>`
// process, as k8s/ runs them. Everything it starts dies with it (stop(), or the exit hook).

// Run from dist/tools/chaos (npm run chaos) or from the sources (the e2e spec under Jest).
const repository = __dirname.includes(`${path.sep}dist${path.sep}`)
  ? __dirname.slice(0, __dirname.lastIndexOf(`${path.sep}dist${path.sep}`))
  : path.resolve(__dirname, '../..');
const dist = (app: string) => path.join(repository, 'dist/apps', app, 'src/main.js');

export type ServiceApp = 'ingest' | 'query' | 'projector' | 'relay' | 'webhooks';

export interface ServiceProcess {
  /** e.g. `ingest-1`. */
  name: string;
  app: ServiceApp;
  /** HTTP port (fixed across restarts): the API, or only /health/* for the projector and relay. */
  port: number;
  child?: ChildProcess;
  starts: number;
}

/** How many of each: ingest ×2, query, projector ×2 (one active), relay ×2 (one active), webhooks ×2. */
export const defaultReplicas: Record<ServiceApp, number> = { ingest: 2, query: 1, projector: 2, relay: 2, webhooks: 2 };

export class Deployment {
  readonly services: ServiceProcess[] = [];
  readonly prefix = `chaos_${randomBytes(3).toString('hex')}`;
  readonly databaseUrl: string;
  readonly env: NodeJS.ProcessEnv;
  private stopping = false;

  private constructor(
    readonly dir: string,
    readonly postgres: OwnPostgres,
    readonly redis: OwnRedis,
    readonly nats: NatsServerProcess,
    private readonly serviceEnv: (service: ServiceProcess) => NodeJS.ProcessEnv = () => ({}),
  ) {
    this.databaseUrl = postgres.url('taskinbox');
    this.env = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      DATABASE_URL: this.databaseUrl,
      DATABASE_POOL_SIZE: '6',
      REDIS_URL: redis.url,
      NATS_URL: nats.url,
      NATS_CREDS: nats.paths.services,
      NATS_ISSUER: nats.paths.issuer,
      NATS_SUBJECT_PREFIX: this.prefix,
      JWT_SECRET: randomBytes(32).toString('hex'),
      WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'),
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      HTTP_HOST: '127.0.0.1',
      LOG_LEVEL: process.env.CHAOS_LOG_LEVEL ?? 'warn',
    };
  }

  /** Starts the servers, migrates, and starts every service; resolves when the HTTP ones listen. */
  static async start(
    options: {
      replicas?: Partial<Record<ServiceApp, number>>;
      /** More environment for one service's process (the soak's probe). */
      serviceEnv?: (service: ServiceProcess) => NodeJS.ProcessEnv;
    } = {},
  ): Promise<Deployment> {
    const dir = mkdtempSync(path.join(tmpdir(), 'taskinbox-chaos-'));
    const [postgres, redis, nats] = await Promise.all([
      startOwnPostgres({ label: 'chaos-pg' }),
      startOwnRedis({ label: 'chaos-redis' }),
      startNatsServer({ label: 'chaos' }),
    ]);
    const deployment = new Deployment(dir, postgres, redis, nats, options.serviceEnv);
    hookExit(deployment);
    try {
      execFileSync(process.execPath, [path.join(repository, 'dist/apps/cli/src/main.js'), 'migrate'], {
        env: { ...deployment.env },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const replicas = { ...defaultReplicas, ...options.replicas };
      for (const app of Object.keys(replicas) as ServiceApp[]) {
        for (let n = 1; n <= replicas[app]; n++) {
          deployment.services.push({ name: `${app}-${n}`, app, port: await freePort(), starts: 0 });
        }
      }
      // The webhooks service creates its durable consumer at start; start it (and the relay's
      // stream) before any event exists, so none is before the consumer's start.
      await Promise.all(deployment.services.map((service) => deployment.launch(service)));
      await Promise.all(deployment.services.map((service) => deployment.ready(service)));
    } catch (error) {
      await deployment.stop();
      throw error;
    }
    return deployment;
  }

  urls(app: 'ingest' | 'query' | 'webhooks'): string[] {
    return this.services.filter((service) => service.app === app).map((service) => `http://127.0.0.1:${service.port}`);
  }

  running(service: ServiceProcess): boolean {
    const child = service.child;
    return !!child && child.exitCode === null && child.signalCode === null;
  }

  launch(service: ServiceProcess): void {
    if (this.stopping || this.running(service)) return;
    const log = openSync(path.join(this.dir, `${service.name}.log`), 'a');
    service.starts += 1;
    service.child = spawn(process.execPath, ['--enable-source-maps', dist(service.app)], {
      cwd: repository,
      env: { ...this.env, HTTP_PORT: String(service.port), ...this.serviceEnv(service) },
      stdio: ['ignore', log, log],
    });
  }

  /** Until the service listens. */
  async ready(service: ServiceProcess, timeoutMs = 300_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running(service)) throw new Error(`${service.name} exited at start; see ${path.join(this.dir, `${service.name}.log`)}`);
      if (await accepts(service.port)) return;
      if (Date.now() > deadline) throw new Error(`${service.name} did not listen within ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** kill -9, and resolves when it is gone. */
  async kill(service: ServiceProcess): Promise<void> {
    const child = service.child;
    if (!child || !this.running(service)) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  /** Starts every service that is not running (after a kill, or one that gave up and exited). */
  reviveAll(): number {
    let revived = 0;
    for (const service of this.services) {
      if (!this.running(service)) {
        this.launch(service);
        revived += 1;
      }
    }
    return revived;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      this.services.map(
        (service) =>
          new Promise<void>((resolve) => {
            const child = service.child;
            if (!child || !this.running(service)) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    await Promise.all([this.postgres.remove(), this.redis.remove(), this.nats.remove()]);
    exitHook.delete(this);
  }

  /** Keeps the service logs, the servers' files go. */
  removeLogs(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** On any exit (an error, Ctrl-C), every process a live deployment started is killed. */
const exitHook = new Set<Deployment>();
const killAll = () => {
  for (const deployment of exitHook) {
    for (const service of deployment.services) service.child?.kill('SIGKILL');
    for (const pid of [deployment.postgres.pid(), deployment.redis.pid()]) {
      if (pid) process.kill(pid, 'SIGKILL');
    }
    try {
      process.kill(Number(readFileSync(path.join(deployment.nats.paths.dir, 'server.pid'), 'utf8')), 'SIGKILL');
    } catch {
      // already gone
    }
  }
};
let hooked = false;
function hookExit(deployment: Deployment): void {
  exitHook.add(deployment);
  if (hooked) return;
  hooked = true;
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}
