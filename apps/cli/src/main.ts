import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import type { Pool } from 'pg';
import { AccountService, ApiKeyService, InvitationService, PasswordResetService, type Scope, scopes } from '@taskinbox/auth';
import { loadServiceConfig } from '@taskinbox/config';
import { ensureDatabase, migrate, PG_POOL } from '@taskinbox/database';
import type { Role } from '@taskinbox/domain';
import { EventStoreDbEventStore, PostgresEventStore } from '@taskinbox/event-store';
import { createLogger } from '@taskinbox/http';
import { rebuildReadModels } from '@taskinbox/projector';
import { natsOptions, natsUsage, runNatsCommand } from './nats.commands';
import { CliModule } from './cli.module';

const usage = `taskinbox operator commands (npm run cli -- <command> [options])

  migrate                                   apply pending database migrations
  org:create --slug acme --name "Acme"      create an organisation
  user:invite --org acme --email a@b.c --role admin|member|viewer
                                            invite a person; prints the single-use link (7 days) to pass on:
                                            they set their own password, or join with their existing account
  user:reset-password --email a@b.c         prints a single-use password-reset link (24 h) to pass on
  api-key:create --org acme --name billing [--scopes tasks:write,tasks:read] [--expires-at 2027-01-31T00:00:00Z]
                                            issue an API key for a service; the key is printed once
  bootstrap [--email admin@example.com]     first start: organisation 'default' and its first admin, with a
                                            generated password to change at first sign-in (only when there
                                            is no organisation yet)
  projections:rebuild                       replay the event log into fresh read models and swap them in
                                            (readers and the running projector carry on meanwhile)${natsUsage}

Links start with PUBLIC_URL (default http://localhost:3000).`;

const firstAdminEmail = 'admin@taskinbox.local';
const commands = ['migrate', 'org:create', 'user:invite', 'user:reset-password', 'api-key:create', 'bootstrap', 'projections:rebuild'];

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') return void console.log(usage);
  if (!commands.includes(command) && !command.startsWith('nats:')) throw new Error(`Unknown command '${command}'.\n\n${usage}`);
  const { values } = parseArgs({
    args: rest,
    options: {
      slug: { type: 'string' },
      name: { type: 'string' },
      org: { type: 'string' },
      email: { type: 'string' },
      role: { type: 'string' },
      scopes: { type: 'string' },
      ...natsOptions,
      'expires-at': { type: 'string' },
    },
  });
  // The CLI never signs tokens, so it does not need the server's JWT secret.
  const config = loadServiceConfig('cli');
  await ensureDatabase(config.databaseUrl);
  await migrate(config.databaseUrl);
  if (command === 'migrate') return void console.log('database is up to date');

  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), { logger: false });
  const accounts = app.get(AccountService);
  const pool = app.get<Pool>(PG_POOL);
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
  const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));

  try {
    if (await runNatsCommand(command, values, config, pool)) return;
    switch (command) {
      case 'org:create':
        return print(await accounts.createOrganisation(need('slug'), values.name ?? need('slug')));
      case 'user:invite': {
        const org = await organisation();
        const role = need('role');
        if (!['admin', 'member', 'viewer'].includes(role)) throw new Error('--role must be admin, member or viewer');
        const invitation = await app.get(InvitationService).invite(org.id, need('email'), role as Role, null);
        return print({ ...invitation, organisation: org.slug, note: 'Pass the link on to the person: it works once.' });
      }
      case 'user:reset-password': {
        const reset = await app.get(PasswordResetService).issueForEmail(need('email'));
        if (!reset) throw new Error(`No account has the e-mail '${values.email}'.`);
        return print({ ...reset, note: 'Pass the link on to the person: it works once, and ends their sessions.' });
      }
      case 'api-key:create': {
        const org = await organisation();
        const wanted = (values.scopes ?? 'tasks:write,tasks:read').split(',').map((s) => s.trim());
        const unknown = wanted.filter((scope) => !scopes.includes(scope as Scope));
        if (unknown.length) throw new Error(`Unknown scopes: ${unknown.join(', ')} (known: ${scopes.join(', ')})`);
        const expiresAt = values['expires-at'] ? new Date(values['expires-at']) : null;
        if (expiresAt && !(expiresAt.getTime() > Date.now())) throw new Error('--expires-at must be a date-time in the future');
        const key = await app.get(ApiKeyService).issue(org.id, need('name'), wanted as Scope[], null, expiresAt);
        return print({ ...key, organisation: org.slug, note: 'Store the key now: it is not shown again.' });
      }
      case 'bootstrap': {
        const email = values.email ?? firstAdminEmail;
        const { rows } = await pool.query('SELECT count(*)::int AS n FROM organisations');
        if (rows[0].n > 0) {
          // Tells npm start whether the generated password it kept is still the one in use.
          const admin = await pool.query('SELECT must_change_password FROM users WHERE email = $1', [email.toLowerCase()]);
          return void console.log(JSON.stringify({ created: false, firstAdminMustChangePassword: admin.rows[0]?.must_change_password ?? false }));
        }
        const org = await accounts.createOrganisation('default', 'Default');
        const password = randomBytes(12).toString('base64url');
        await accounts.createFirstAdmin(org.id, email, password);
        return void console.log(JSON.stringify({ created: true, organisation: org.slug, email, password, mustChangePassword: true }));
      }
      case 'projections:rebuild': {
        const store =
          config.eventStore.kind === 'eventstoredb' ? new EventStoreDbEventStore(config.eventStore.url) : new PostgresEventStore({ pool });
        try {
          return print(await rebuildReadModels({ pool, store, logger: createLogger(config.logLevel) }));
        } finally {
          await store.close();
        }
      }
      default:
        throw new Error(`Unknown command '${command}'.\n\n${usage}`);
    }
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
