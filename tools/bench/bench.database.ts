import { Client } from 'pg';
import { migrate } from '@taskinbox/database';

export const benchServer = process.env.BENCH_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';

/** Drops and recreates a scratch database (name must contain 'bench') and migrates it. */
export async function freshBenchDatabase(name: string): Promise<string> {
  if (!name.includes('bench')) throw new Error(`Refusing to recreate '${name}': bench databases must contain 'bench'.`);
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

/** Scratch databases are large (the stats one is ~700 MB): drop them when a run ends. */
export async function dropBenchDatabases(): Promise<void> {
  const admin = new Client({ connectionString: `${benchServer}/postgres` });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'taskinbox\\_bench\\_%'");
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** Drops one scratch database: a bench that runs beside others removes only its own. */
export async function dropBenchDatabase(name: string): Promise<void> {
  if (!name.includes('bench')) throw new Error(`Refusing to drop '${name}': bench databases must contain 'bench'.`);
  const admin = new Client({ connectionString: `${benchServer}/postgres` });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
