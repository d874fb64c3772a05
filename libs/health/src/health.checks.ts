import type { NatsConnection } from '@nats-io/transport-node';
import type { Redis } from 'ioredis';
import type { Pool } from 'pg';
import type { EventStore } from '@taskinbox/event-store';

/** One readiness check: resolves with a short detail when healthy, rejects with why not. */
export type HealthCheck = () => Promise<string>;

/** What a service depends on; each app names only what it uses. */
export type HealthCheckName = 'postgres' | 'nats' | 'redis' | 'projectorLag' | 'relayLag';

export class CheckTimedOut extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'CheckTimedOut';
  }
}

/** Runs a check against a deadline: a hung dependency answers "not ready" rather than hanging the probe. */
export async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimedOut(ms)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export function postgresCheck(pool: Pool): HealthCheck {
  return async () => {
    await pool.query('SELECT 1');
    return 'SELECT 1 answered';
  };
}

/** A round trip to the server (flush waits for its PONG), on a connection that is open. */
export function natsCheck(connection: () => Promise<NatsConnection>): HealthCheck {
  return async () => {
    const nc = await connection();
    if (nc.isClosed()) throw new Error('connection closed');
    await nc.flush();
    return `connected to ${nc.getServer()}`;
  };
}

export function redisCheck(redis: Redis): HealthCheck {
  return async () => {
    const answer = await redis.ping();
    if (answer !== 'PONG') throw new Error(`PING answered '${answer}'`);
    return 'PING answered PONG';
  };
}

/** How far a checkpoint is behind the log: events (counted up to `cap`, then `cap`+1) and the age of the oldest unread one. */
export interface CheckpointLag {
  events: number;
  /** Seconds since the oldest event the checkpoint has yet to cover was recorded; 0 when caught up. */
  seconds: number;
}

/** Reads past `cap` would only cost time: beyond it the figure says "far behind" either way. */
export async function checkpointLag(pool: Pool, store: EventStore, checkpoint: string, cap: number, now = Date.now()): Promise<CheckpointLag> {
  const { rows } = await pool.query<{ position: string | null }>('SELECT position FROM projection_checkpoints WHERE name = $1', [checkpoint]);
  const after = rows[0]?.position ?? undefined;
  const { events, firstRecordedAt } = await store.countAfter(after, cap);
  return { events, seconds: firstRecordedAt === undefined ? 0 : Math.max(0, (now - firstRecordedAt.getTime()) / 1000) };
}

/** Events in the log after a checkpoint in projection_checkpoints, against `max`. */
export function lagCheck(pool: Pool, store: EventStore, checkpoint: string, max: number): HealthCheck {
  return async () => {
    const { events } = await checkpointLag(pool, store, checkpoint, max);
    if (events > max) throw new Error(`'${checkpoint}' is more than ${max} events behind the event store`);
    return `'${checkpoint}' is ${events} events behind`;
  };
}
