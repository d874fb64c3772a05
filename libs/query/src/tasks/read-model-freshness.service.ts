import { Injectable, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import type { Principal } from '@taskinbox/auth';
import type { Actor } from '@taskinbox/domain';
import { ReadModelListener } from './read-model.listener';
import { canSee } from './task.visibility';

/** Longest a read waits for the projector before answering with what it has. */
export const READ_MODEL_WAIT_MS = 2000;

/** Set to 'true' on answers given before the read models reached the version asked for. */
export const READ_MODEL_STALE_HEADER = 'X-Read-Model-Stale';

/** "Show me task `taskId` at stream revision `minVersion` or later" (the version a command returned). */
export interface VersionTarget {
  taskId: string;
  minVersion: number;
}

interface Waiter {
  principal: Principal;
  targets: readonly VersionTarget[];
  settle(fresh: boolean): void;
}

interface VersionRow {
  task_id: string;
  org_id: string;
  version: number;
  private: boolean;
  source: Actor;
  assignees: string[];
}

/**
 * Read-your-writes over eventually consistent read models: a request that names the version
 * its own command produced waits until inbox_tasks has caught up. Waiters are woken by the
 * projector's NOTIFY; every wake-up re-checks all of them with one query.
 */
@Injectable()
export class ReadModelFreshness {
  private readonly logger = new Logger(ReadModelFreshness.name);
  private readonly waiters = new Set<Waiter>();
  private subscription: Promise<unknown> | null = null;
  private rechecking = false;
  private recheckAgain = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly listener: ReadModelListener,
  ) {}

  /**
   * Waits (at most `timeoutMs`) until every target is in the read models at its version, as
   * the caller may see it; marks the reply stale when that did not happen in time. A task the
   * caller may not see never counts as arrived, so waiting reveals nothing about it.
   */
  async waitFor(
    principal: Principal,
    targets: readonly VersionTarget[],
    reply: FastifyReply,
    timeoutMs = READ_MODEL_WAIT_MS,
  ): Promise<void> {
    if (targets.length === 0) return;
    await this.subscribed();
    const fresh = await new Promise<boolean>((resolve) => {
      const waiter: Waiter = {
        principal,
        targets,
        settle: (result) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(result);
        },
      };
      const timer = setTimeout(() => waiter.settle(false), timeoutMs);
      this.waiters.add(waiter);
      // Already listening here, so a batch committed during this first look still triggers a re-check.
      void this.check([waiter]);
    });
    if (!fresh) void reply.header(READ_MODEL_STALE_HEADER, 'true');
  }

  private subscribed(): Promise<unknown> {
    this.subscription ??= this.listener
      .subscribe(() => void this.recheckAll())
      .catch((error: unknown) => {
        this.subscription = null;
        throw error;
      });
    return this.subscription;
  }

  /** One re-check at a time; notifications arriving meanwhile fold into one more round. */
  private async recheckAll(): Promise<void> {
    if (this.rechecking) {
      this.recheckAgain = true;
      return;
    }
    this.rechecking = true;
    try {
      do {
        this.recheckAgain = false;
        if (this.waiters.size > 0) await this.check([...this.waiters]);
      } while (this.recheckAgain);
    } finally {
      this.rechecking = false;
    }
  }

  private async check(waiters: Waiter[]): Promise<void> {
    const ids = [...new Set(waiters.flatMap((waiter) => waiter.targets.map((target) => target.taskId)))];
    let rows: VersionRow[];
    try {
      rows = await this.dataSource.query(
        'SELECT task_id, org_id, version, private, source, assignees FROM inbox_tasks WHERE task_id = ANY($1::uuid[])',
        [ids],
      );
    } catch (error) {
      // The waiters time out and answer as stale; the read that follows reports the database problem.
      this.logger.warn(`read-your-writes check failed: ${String(error)}`);
      return;
    }
    const byId = new Map(rows.map((row) => [row.task_id, row]));
    for (const waiter of waiters) {
      const arrived = waiter.targets.every(({ taskId, minVersion }) => {
        const row = byId.get(taskId);
        return (
          row !== undefined &&
          row.org_id === waiter.principal.orgId &&
          canSee(row, waiter.principal) &&
          row.version >= minVersion
        );
      });
      if (arrived) waiter.settle(true);
    }
  }
}
