import type { RevocationList } from '@nats-io/jwt';
import type { Pool } from 'pg';
import type { AccountPublisher } from '../accounts/account.publisher';
import { type AccountName, accountNames } from '../keys/installation.keys';

/**
 * Revoked NATS users, kept in PostgreSQL and pushed to NATS in their account's JWT. A revocation
 * is recorded before it is pushed, so one that NATS did not confirm is pushed again by the next
 * revocation, by `sync` at start, or by `nats:init`; none is ever taken back.
 */
export class AccountRevocations {
  constructor(
    private readonly pool: Pool,
    private readonly publisher: AccountPublisher,
  ) {}

  /** Records the revocation of `userKey` (its JWTs issued at or before `issuedAt` or now), then pushes the account. */
  async revoke(account: AccountName, userKey: string, issuedAt = 0): Promise<void> {
    await this.pool.query(
      `INSERT INTO nats_revocations (account, user_key, revokes_before) VALUES ($1, $2, $3)
       ON CONFLICT (account, user_key) DO UPDATE SET revokes_before = greatest(nats_revocations.revokes_before, excluded.revokes_before)`,
      [account, userKey, Math.max(issuedAt, Math.floor(Date.now() / 1000))],
    );
    await this.sync(account);
  }

  /**
   * Pushes the account with every recorded revocation, one push at a time per database.
   * `onlyIfMissing`: only when the server lacks one of them (answers whether it pushed).
   */
  async sync(account: AccountName, options: { onlyIfMissing?: boolean } = {}): Promise<boolean> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`nats-account:${account}`]);
      const revocations = await listRevocations(client, account);
      const pushed = await this.publisher.publish(account, revocations, options);
      await client.query('COMMIT');
      return pushed;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

/** The revocations recorded for `account`: user key → revoked before (unix seconds). */
export async function listRevocations(db: Pick<Pool, 'query'>, account: AccountName): Promise<RevocationList> {
  const { rows } = await db.query<{ user_key: string; revokes_before: string }>(
    'SELECT user_key, revokes_before FROM nats_revocations WHERE account = $1',
    [account],
  );
  return Object.fromEntries(rows.map((row) => [row.user_key, Number(row.revokes_before)]));
}

/** Every account's recorded revocations. */
export async function listAllRevocations(db: Pick<Pool, 'query'>): Promise<Record<AccountName, RevocationList>> {
  const entries = await Promise.all(accountNames.map(async (name) => [name, await listRevocations(db, name)] as const));
  return Object.fromEntries(entries) as Record<AccountName, RevocationList>;
}
