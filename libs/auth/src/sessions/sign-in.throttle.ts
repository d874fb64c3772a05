import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { InjectPool } from '@taskinbox/database';
import { SignInThrottled } from '../auth.errors';
import { decideAttempt, perAccount, perAddress, type ThrottlePolicy } from './sign-in-throttle.policy';

/** Returned by `attempt`; hand it to `succeeded` when the password was right. */
export interface SignInTicket {
  account: Buffer;
  address: Buffer;
}

const housekeepingMs = 600_000;

// Keys are hashed: the table never holds e-mails as typed (or passwords typed into the e-mail field).
const keyOf = (kind: string, value: string): Buffer => createHash('sha256').update(`${kind}:${value}`).digest();

/**
 * Sign-in throttling per account and per client address, shared by every process through
 * PostgreSQL. An attempt is counted before its password is checked, so forty at once are
 * counted as forty; refused attempts cost no password hash.
 */
@Injectable()
export class SignInThrottle implements OnApplicationShutdown {
  private readonly housekeeping: NodeJS.Timeout;

  constructor(@InjectPool() private readonly pool: Pool) {
    this.housekeeping = setInterval(
      () => void this.pool.query("DELETE FROM sign_in_throttle WHERE updated_at < now() - interval '1 hour'").catch(() => undefined),
      housekeepingMs,
    );
    this.housekeeping.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.housekeeping);
  }

  /** Counts one attempt for `email` from `address`, or throws SignInThrottled (429 with Retry-After). */
  async attempt(email: string, address: string): Promise<SignInTicket> {
    const ticket = { account: keyOf('account', email.trim().toLowerCase()), address: keyOf('address', address) };
    const policies = new Map<string, ThrottlePolicy>([
      [ticket.account.toString('hex'), perAccount],
      [ticket.address.toString('hex'), perAddress],
    ]);
    // Always locked in the same order, so two attempts never wait on each other crosswise.
    const keys = [ticket.account, ticket.address].sort(Buffer.compare);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO sign_in_throttle (key_sha256, attempts, next_allowed_at, updated_at)
         SELECT key, 0, 'epoch', 'epoch' FROM unnest($1::bytea[]) AS key ON CONFLICT DO NOTHING`,
        [keys],
      );
      const { rows } = await client.query(
        `SELECT key_sha256, attempts, next_allowed_at, updated_at, extract(epoch FROM clock_timestamp()) * 1000 AS now
           FROM sign_in_throttle WHERE key_sha256 = ANY($1) ORDER BY key_sha256 FOR UPDATE`,
        [keys],
      );
      const now = Number(rows[0].now);
      const decisions = rows.map((row) => ({
        key: row.key_sha256 as Buffer,
        decision: decideAttempt(
          { attempts: row.attempts, nextAllowedAt: row.next_allowed_at.getTime(), updatedAt: row.updated_at.getTime() },
          now,
          policies.get((row.key_sha256 as Buffer).toString('hex'))!,
        ),
      }));
      const waits = decisions.flatMap(({ decision }) => (decision.allowed ? [] : [decision.retryAfterMs]));
      if (waits.length > 0) {
        // Nothing is counted for a refused attempt.
        await client.query('ROLLBACK');
        throw new SignInThrottled(Math.ceil(Math.max(...waits) / 1000));
      }
      for (const { key, decision } of decisions) {
        if (!decision.allowed) continue;
        await client.query(
          `UPDATE sign_in_throttle SET attempts = $2, next_allowed_at = to_timestamp($3 / 1000.0), updated_at = to_timestamp($4 / 1000.0)
            WHERE key_sha256 = $1`,
          [key, decision.next.attempts, decision.next.nextAllowedAt, decision.next.updatedAt],
        );
      }
      await client.query('COMMIT');
      return ticket;
    } catch (error) {
      if (!(error instanceof SignInThrottled)) await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** The password was right: the account starts afresh, and the address gets its attempt back. */
  async succeeded(ticket: SignInTicket): Promise<void> {
    await this.pool.query('DELETE FROM sign_in_throttle WHERE key_sha256 = $1', [ticket.account]);
    await this.pool.query('UPDATE sign_in_throttle SET attempts = greatest(attempts - 1, 0) WHERE key_sha256 = $1', [ticket.address]);
  }
}
