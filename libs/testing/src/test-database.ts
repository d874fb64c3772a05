import { Client } from 'pg';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrate } from '@taskinbox/database';

/** Server address for tests; the database name is always chosen here and always contains 'test'. */
export const testServerUrl = process.env.TEST_DATABASE_SERVER ?? 'postgres://postgres@127.0.0.1:5432';

// The template is named after the migrations' content, so concurrent runs share it and
// a changed migration gets a fresh template.
const migrationsDir = join(__dirname, '../../database/src/migrations');
const templateName = `taskinbox_test_template_${createHash('sha256')
  .update(
    readdirSync(migrationsDir)
      .sort()
      .map((file) => readFileSync(join(migrationsDir, file), 'utf8'))
      .join('\0'),
  )
  .digest('hex')
  .slice(0, 12)}`;

function urlFor(name: string): string {
  if (!name.includes('test')) throw new Error(`Refusing to use database '${name}': test databases must contain 'test'.`);
  return `${testServerUrl}/${name}`;
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: `${testServerUrl}/postgres` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Builds the template database once per run with the real migrations (jest globalSetup). */
export async function prepareTemplateDatabase(): Promise<void> {
  await admin(async (client) => {
    await client.query('SELECT pg_advisory_lock(7303002)');
    try {
      await dropStaleTemplates(client);
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [templateName]);
      if (rowCount) return;
      const building = `${templateName}_building`;
      await client.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${building}`);
      await migrate(urlFor(building));
      await client.query(`ALTER DATABASE ${building} RENAME TO ${templateName}`);
      await client.query(`COMMENT ON DATABASE ${templateName} IS '${Math.floor(Date.now() / 1000)}'`);
    } finally {
      await client.query('SELECT pg_advisory_unlock(7303002)');
    }
  });
}

/**
 * Templates of older migrations pile up otherwise. Each template's comment holds when it was
 * built; only those older than a day are dropped, so several checkouts testing different
 * migrations at once keep theirs (one still in use is left alone too).
 */
async function dropStaleTemplates(client: Client): Promise<void> {
  const { rows } = await client.query<{ datname: string }>(
    `SELECT datname FROM pg_database d
      WHERE datname LIKE 'taskinbox\\_test\\_template\\_%' AND datname <> $1
        AND coalesce(nullif(shobj_description(d.oid, 'pg_database'), '')::bigint, 0) < extract(epoch FROM now() - interval '1 day')`,
    [templateName],
  );
  for (const { datname } of rows) {
    await client.query(`DROP DATABASE IF EXISTS "${datname}"`).catch(() => undefined);
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh database cloned from the migrated template; drop it in afterAll. */
export async function createTestDatabase(label = 'db'): Promise<TestDatabase> {
  const name = `taskinbox_test_${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${templateName}`));
  return {
    name,
    url: urlFor(name),
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
