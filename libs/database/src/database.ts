import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { migrations } from './migrations';

/** A TypeORM DataSource over the whole schema. Migrations only; never `synchronize`. */
export function createDataSource(url: string, options: { entities?: Function[]; poolSize?: number } = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: options.entities ?? [],
    migrations,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    extra: { max: options.poolSize ?? 10 },
  });
}

/** Applies every pending migration; safe to run at each start and from several processes. */
export async function migrate(url: string): Promise<string[]> {
  const source = createDataSource(url, { poolSize: 1 });
  await source.initialize();
  try {
    // One migrator at a time across processes.
    await source.query('SELECT pg_advisory_lock(7303001)');
    const applied = await source.runMigrations({ transaction: 'each' });
    await source.query('SELECT pg_advisory_unlock(7303001)');
    return applied.map((migration) => migration.name);
  } finally {
    await source.destroy();
  }
}

/** Creates the database named in `url` if it does not exist (used by start and tests). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const { Client } = await import('pg');
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/** Runs `work` in one transaction on a client of `pool`: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
