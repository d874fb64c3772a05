import { Client } from 'pg';
import { migrate } from '@taskinbox/database';

export const benchServer = process.env.BENCH_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';

/**
 * A scratch database name of this run: the process id keeps two benches run at once (two people,
 * or helpers side by side) off each other's databases, and lets each drop only its own.
 */
export function benchDatabaseName(name: string): string {
  if (!name.includes('bench')) throw new Error(`Refusing '${name}': bench databases must contain 'bench'.`);
  return `${name}_${process.pid}`;
}

/** Drops and recreates this run's scratch database (see benchDatabaseName) and migrates it. */
export async function freshBenchDatabase(base: string): Promise<string> {
  const name = benchDatabaseName(base);
  const admin = new Client({ connectionString: `${benchServer}/postgres` });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = `${benchServer}/${name}`;
  await migrate(url);
  return url;
}

/** Scratch databases are large (the stats one is ~700 MB): a run drops its own when it ends. */
export async function dropBenchDatabases(): Promise<void> {
  const admin = new Client({ connectionString: `${benchServer}/postgres` });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE '%bench%' AND datname LIKE $1", [
      `%\\_${process.pid}`,
    ]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** Drops one of this run's scratch databases before the run ends. */
export async function dropBenchDatabase(base: string): Promise<void> {
  const name = benchDatabaseName(base);
  const admin = new Client({ connectionString: `${benchServer}/postgres` });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
