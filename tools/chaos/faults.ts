import type { Deployment, ServiceApp } from './deployment';

// Faults while the load runs: kill -9 of a random service every few seconds (restarted a moment
// later), and at spread-out times a NATS restart, a Redis SHUTDOWN NOSAVE (all queued jobs gone)
// and a PostgreSQL crash (immediate shutdown: crash recovery at start).

export interface FaultCounts {
  kills: Record<ServiceApp, number>;
  natsRestarts: number;
  redisWipes: number;
  postgresRestarts: number;
}

export interface FaultPlan {
  /** Seconds between kill -9s. */
  killEverySeconds: number;
  /** How many times each server fault happens over the load. */
  serverFaults: number;
}

/** One fault as it began: what, and when (epoch ms). */
export interface FaultMoment {
  at: number;
  fault: string;
}

export class FaultInjector {
  /** Every fault in the order it began, to tell what a webhook sent twice went through between its copies. */
  readonly timeline: FaultMoment[] = [];
  readonly counts: FaultCounts = {
    kills: { ingest: 0, query: 0, projector: 0, relay: 0, webhooks: 0 },
    natsRestarts: 0,
    redisWipes: 0,
    postgresRestarts: 0,
  };
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly deployment: Deployment,
    private readonly plan: FaultPlan,
    private readonly log: (line: string) => void,
  ) {}

  /** Schedules the faults over `durationMs` of load. */
  start(durationMs: number): void {
    this.timers.push(setInterval(() => this.track(this.killOne()), this.plan.killEverySeconds * 1000));
    const n = this.plan.serverFaults;
    for (let i = 0; i < n; i++) {
      const at = (fraction: number) => ((i + fraction) * durationMs) / n;
      this.timers.push(setTimeout(() => this.track(this.restartNats()), at(0.2)));
      this.timers.push(setTimeout(() => this.track(this.wipeRedis()), at(0.45)));
      this.timers.push(setTimeout(() => this.track(this.restartPostgres()), at(0.7)));
    }
  }

  /** Stops scheduling, lets the fault in progress finish, and starts anything still down. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    while (this.running.size > 0) await Promise.all([...this.running]);
    this.deployment.reviveAll();
  }

  private track(fault: Promise<void>): void {
    const tracked = fault
      .catch((error: unknown) => this.log(`fault failed: ${(error as Error).message}`))
      .finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }

  private async killOne(): Promise<void> {
    const candidates = this.deployment.services.filter((service) => this.deployment.running(service));
    if (candidates.length === 0) return;
    const victim = candidates[Math.floor(Math.random() * candidates.length)];
    this.timeline.push({ at: Date.now(), fault: `${victim.app} kill` });
    await this.deployment.kill(victim);
    this.counts.kills[victim.app] += 1;
    await pause(1000 + Math.random() * 2000);
    this.deployment.launch(victim);
  }

  private async restartNats(): Promise<void> {
    this.timeline.push({ at: Date.now(), fault: 'NATS restart' });
    await this.deployment.nats.restart();
    this.counts.natsRestarts += 1;
    this.log('NATS restarted');
  }

  private async wipeRedis(): Promise<void> {
    this.timeline.push({ at: Date.now(), fault: 'Redis wipe' });
    await this.deployment.redis.shutdownNoSave();
    await pause(1000);
    await this.deployment.redis.start();
    this.counts.redisWipes += 1;
    this.log('Redis SHUTDOWN NOSAVE and started empty');
  }

  private async restartPostgres(): Promise<void> {
    this.timeline.push({ at: Date.now(), fault: 'PostgreSQL crash' });
    await this.deployment.postgres.stop('crash');
    await pause(2000);
    await this.deployment.postgres.start();
    this.counts.postgresRestarts += 1;
    this.log('PostgreSQL crashed (immediate shutdown) and restarted');
  }
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
