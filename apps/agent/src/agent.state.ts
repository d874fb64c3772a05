import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync, chmodSync } from 'node:fs';
import path from 'node:path';
import type { ScheduleOrder } from '@taskinbox/device-protocol';

/** Who this device is: its id and the seed of its nkey, its one secret (mode 600). */
export interface Identity {
  server: string;
  deviceId: string;
  orgId: string;
  name: string;
  seed: string;
  /** Set once the server refused this device for good: the agent stops and does not come back. */
  unenrolled?: boolean;
}

/** A run this agent took on: kept so a restart neither runs it again nor forgets to close it. */
export interface LocalRun {
  status: 'running' | 'done';
  scheduleId?: string;
  at: string;
}

/** A report the server has not acknowledged yet, in the order it was made. */
export interface OutboxItem {
  method: 'POST' | 'PUT';
  path: string;
  body: unknown;
  runId: string;
}

const keepDone = 2000;

/**
 * The agent's files under its state directory (mode 700). Every write is atomic (a temporary
 * file renamed over the old one after fsync), so a crash leaves the old or the new version.
 */
export class AgentState {
  private seq = 0;

  constructor(readonly dir: string) {}

  init(): void {
    mkdirSync(path.join(this.dir, 'outbox'), { recursive: true, mode: 0o700 });
    chmodSync(this.dir, 0o700);
  }

  identity(): Identity | undefined {
    return this.read<Identity>('identity.json');
  }

  saveIdentity(identity: Identity): void {
    this.write('identity.json', identity);
  }

  schedules(): ScheduleOrder[] {
    return this.read<ScheduleOrder[]>('schedules.json') ?? [];
  }

  saveSchedules(schedules: ScheduleOrder[]): void {
    this.write('schedules.json', schedules);
  }

  /** Per schedule, the newest slot already handled (run or recorded missed). */
  progress(): Record<string, string> {
    return this.read<Record<string, string>>('progress.json') ?? {};
  }

  saveProgress(progress: Record<string, string>): void {
    this.write('progress.json', progress);
  }

  runs(): Record<string, LocalRun> {
    return this.read<Record<string, LocalRun>>('runs.json') ?? {};
  }

  saveRuns(runs: Record<string, LocalRun>): void {
    const done = Object.entries(runs).filter(([, run]) => run.status === 'done');
    for (const [id] of done.slice(0, Math.max(0, done.length - keepDone))) delete runs[id];
    this.write('runs.json', runs);
  }

  enqueue(item: OutboxItem): void {
    const name = `${String(Date.now()).padStart(15, '0')}-${String(this.seq++ % 1_000_000).padStart(6, '0')}.json`;
    this.write(path.join('outbox', name), item);
  }

  /** Undelivered reports, oldest first. */
  outbox(): { name: string; item: OutboxItem }[] {
    return readdirSync(path.join(this.dir, 'outbox'))
      .filter((name) => name.endsWith('.json'))
      .sort()
      .flatMap((name) => {
        const item = this.read<OutboxItem>(path.join('outbox', name));
        return item ? [{ name, item }] : [];
      });
  }

  delivered(name: string): void {
    rmSync(path.join(this.dir, 'outbox', name), { force: true });
  }

  private read<T>(file: string): T | undefined {
    const full = path.join(this.dir, file);
    if (!existsSync(full)) return undefined;
    try {
      return JSON.parse(readFileSync(full, 'utf8')) as T;
    } catch {
      return undefined;
    }
  }

  private write(file: string, value: unknown): void {
    const full = path.join(this.dir, file);
    const temporary = `${full}.${process.pid}.tmp`;
    const fd = openSync(temporary, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(value));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, full);
  }
}
