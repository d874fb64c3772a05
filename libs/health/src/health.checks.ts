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

/**
 * Events in the log after a checkpoint in projection_checkpoints, counted up to one past `max`
 * (reading further would only cost time: beyond `max` it is unready either way).
 */
export function lagCheck(pool: Pool, store: EventStore, checkpoint: string, max: number): HealthCheck {
  return async () => {
    const { rows } = await pool.query<{ position: string | null }>('SELECT position FROM projection_checkpoints WHERE name = $1', [
      checkpoint,
    ]);
    const after = rows[0]?.position ?? undefined;
    const behind = (await store.readAll({ after, maxCount: max + 1 })).length;
    if (behind > max) throw new Error(`'${checkpoint}' is more than ${max} events behind the event store`);
    return `'${checkpoint}' is ${behind} events behind`;
  };
}
