import { Client, type Pool } from 'pg';

/**
 * The right to relay, held as a session advisory lock on a dedicated connection: one active
 * relay per database, and a relay whose connection dies loses the lock at once. The checkpoint
 * is read and written over the same connection, so a relay that lost its lease cannot move it.
 */
export class RelayLease {
  private constructor(
    private readonly client: Client,
    private readonly name: string,
    /** Resolves with the reason once the connection (and with it the lock) is gone. */
    readonly lost: Promise<Error>,
  ) {}

  /** Takes the lease named `name`, or returns null when another relay holds it. */
  static async acquire(pool: Pool, name: string): Promise<RelayLease | null> {
    const client = new Client({ ...pool.options, application_name: `taskinbox-${name}` });
    let markLost!: (reason: Error) => void;
    const lost = new Promise<Error>((resolve) => (markLost = resolve));
    client.on('error', markLost);
    client.on('end', () => markLost(new Error('The relay lease connection ended.')));
    try {
      await client.connect();
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
        `taskinbox.${name}`,
      ]);
      if (!rows[0].locked) {
        await client.end();
        return null;
      }
      await client.query('INSERT INTO projection_checkpoints (name) VALUES ($1) ON CONFLICT (name) DO NOTHING', [name]);
      return new RelayLease(client, name, lost);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  /** The position of the last event relayed; undefined before the first. */
  async checkpoint(): Promise<string | undefined> {
    const { rows } = await this.client.query<{ position: string | null }>(
      'SELECT position FROM projection_checkpoints WHERE name = $1',
      [this.name],
    );
    return rows[0]?.position ?? undefined;
  }

  async saveCheckpoint(position: string): Promise<void> {
    await this.client.query('UPDATE projection_checkpoints SET position = $2, updated_at = now() WHERE name = $1', [
      this.name,
      position,
    ]);
  }

  /** Ends the session, which releases the lock. */
  async release(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}
