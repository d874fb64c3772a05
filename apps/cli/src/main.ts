import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { AccountService, ApiKeyService, PasswordHasher, type Scope, scopes } from '@taskinbox/auth';
import { loadConfig } from '@taskinbox/config';
import { ensureDatabase, migrate } from '@taskinbox/database';
import type { Role } from '@taskinbox/domain';
import { EventStoreDbEventStore, PostgresEventStore } from '@taskinbox/event-store';
import { createLogger } from '@taskinbox/http';
import { rebuildReadModels } from '@taskinbox/projector';
import { natsOptions, natsUsage, runNatsCommand } from './nats.commands';

const usage = `taskinbox operator commands (npm run cli -- <command> [options])

  migrate                                   apply pending database migrations
  org:create --slug acme --name "Acme"      create an organisation
  user:create --org acme --email a@b.c --name "Ann" --role admin|member|viewer [--password …]
                                            add a user (a password is generated and printed when omitted)
  api-key:create --org acme --name billing [--scopes tasks:write,tasks:read]
                                            issue an API key for a service; the key is printed once
  bootstrap                                 first start: create organisation 'default' and an admin
                                            (only when there is no organisation yet)
  projections:rebuild                       replay the event log into fresh read models and swap them in
                                            (readers and the running projector carry on meanwhile)${natsUsage}`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') return void console.log(usage);
  const { values } = parseArgs({
    args: rest,
    options: {
      slug: { type: 'string' },
      name: { type: 'string' },
      org: { type: 'string' },
      email: { type: 'string' },
      role: { type: 'string' },
      password: { type: 'string' },
      scopes: { type: 'string' },
      ...natsOptions,
    },
  });
  // The CLI never signs tokens, so it does not need the server's JWT secret.
  const config = loadConfig({ JWT_SECRET: 'x'.repeat(32), ...process.env });
  await ensureDatabase(config.databaseUrl);
  await migrate(config.databaseUrl);
  if (command === 'migrate') return void console.log('database is up to date');

  const pool = new Pool({ connectionString: config.databaseUrl, max: 2 });
  const accounts = new AccountService(pool, new PasswordHasher(config));
  const apiKeys = new ApiKeyService(pool, config);
  const need = (name: keyof typeof values): string => {
    const value = values[name];
    if (!value) throw new Error(`--${name} is required for ${command}\n\n${usage}`);
    return value;
  };
  const organisation = async () => {
    const found = await accounts.findOrganisation(need('org'));
    if (!found) throw new Error(`No organisation '${values.org}'.`);
    return found;
  };

  try {
    if (await runNatsCommand(command, values, config, pool)) return;
    switch (command) {
      case 'org:create': {
        const org = await accounts.createOrganisation(need('slug'), values.name ?? need('slug'));
        console.log(JSON.stringify(org, null, 2));
        break;
      }
      case 'user:create': {
        const org = await organisation();
        const role = need('role');
        if (!['admin', 'member', 'viewer'].includes(role)) throw new Error('--role must be admin, member or viewer');
        const password = values.password ?? randomBytes(12).toString('base64url');
        const member = await accounts.addMember(org.id, { email: need('email'), name: need('name'), password, role: role as Role });
        console.log(JSON.stringify({ ...member, organisation: org.slug, ...(values.password ? {} : { password }) }, null, 2));
        break;
      }
      case 'api-key:create': {
        const org = await organisation();
        const wanted = (values.scopes ?? 'tasks:write,tasks:read').split(',').map((s) => s.trim());
        const unknown = wanted.filter((scope) => !scopes.includes(scope as Scope));
        if (unknown.length) throw new Error(`Unknown scopes: ${unknown.join(', ')} (known: ${scopes.join(', ')})`);
        const key = await apiKeys.issue(org.id, need('name'), wanted as Scope[], null);
        console.log(JSON.stringify({ ...key, organisation: org.slug, note: 'Store the key now: it is not shown again.' }, null, 2));
        break;
      }
      case 'bootstrap': {
        const { rows } = await pool.query('SELECT count(*)::int AS n FROM organisations');
        if (rows[0].n > 0) return void console.log(JSON.stringify({ created: false }));
        const org = await accounts.createOrganisation('default', 'Default');
        const password = values.password ?? randomBytes(12).toString('base64url');
        const email = values.email ?? 'admin@taskinbox.local';
        await accounts.addMember(org.id, { email, name: 'Admin', password, role: 'admin' });
        console.log(JSON.stringify({ created: true, organisation: org.slug, email, password }));
        break;
      }
      case 'projections:rebuild': {
        const store =
          config.eventStore.kind === 'eventstoredb' ? new EventStoreDbEventStore(config.eventStore.url) : new PostgresEventStore({ pool });
        try {
          const result = await rebuildReadModels({ pool, store, logger: createLogger(config.logLevel) });
          console.log(JSON.stringify(result));
        } finally {
          await store.close();
        }
        break;
      }
      default:
        throw new Error(`Unknown command '${command}'.\n\n${usage}`);
    }
  } finally {
    await pool.end();
  }
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
