import { readFileSync } from 'node:fs';
import type { Pool } from 'pg';
import type { Config } from '@taskinbox/config';
import {
  AccountPublisher,
  AccountRevocations,
  type AccountName,
  accountNames,
  initInstallation,
  installationPaths,
  installationServerConfig,
  issueUser,
  issuerFrom,
  listAllRevocations,
  readKeys,
} from '@taskinbox/nats-accounts';

export const natsUsage = `
  nats:init [--dir .taskinbox/nats] [--host 127.0.0.1] [--port 4322]
                                            NATS in operator mode: makes the keys once (keys.json, the operator's
                                            secret), the server configuration, taskinbox.creds (NATS_CREDS),
                                            system.creds and issuer.json (NATS_ISSUER); re-signs the accounts with
                                            every revocation and pushes them to a running server (NATS_URL)
  nats:creds --for taskinbox|system|outside [--name billing] [--dir …]
                                            prints a .creds file: taskinbox's services', the system user's, or a new
                                            outside service's (commands under NATS_SUBJECT_PREFIX only)
  nats:config [--dir …] [--host 0.0.0.0] [--port 4222] [--server-name nats-0] [--store /data/jetstream]
              [--resolver /data/jwt] [--cluster taskinbox --routes nats://nats-0:6222,nats://nats-1:6222,…]
                                            prints a nats-server.conf for these keys: one server, or a cluster member
  nats:revoke --account OUTSIDE --user U… [--dir …]
                                            revokes a NATS user at once (event readers: DELETE /api/event-readers/{id})`;

export const natsOptions = {
  dir: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  for: { type: 'string' },
  'server-name': { type: 'string' },
  store: { type: 'string' },
  resolver: { type: 'string' },
  cluster: { type: 'string' },
  routes: { type: 'string' },
  account: { type: 'string' },
  user: { type: 'string' },
} as const;

type Values = Partial<Record<keyof typeof natsOptions | 'name', string>>;

/** The `nats:*` commands; answers false when `command` is not one of them. */
export async function runNatsCommand(command: string, values: Values, config: Config, pool: Pool): Promise<boolean> {
  if (!command.startsWith('nats:')) return false;
  const paths = installationPaths(values.dir ?? '.taskinbox/nats');
  const revocationsOf = (keys: ReturnType<typeof readKeys>) => {
    const publisher = new AccountPublisher(issuerFrom(keys, readFileSync(paths.system, 'utf8'), []), config.nats.url);
    return new AccountRevocations(pool, publisher);
  };

  switch (command) {
    case 'nats:init': {
      const port = Number(values.port ?? 4322);
      const { keys } = await initInstallation(paths.dir, {
        host: values.host ?? '127.0.0.1',
        port,
        revocations: await listAllRevocations(pool),
      });
      const revocations = revocationsOf(keys);
      // A running server gets the accounts as now signed (new specs, every revocation) at once.
      let pushed = true;
      try {
        for (const name of accountNames) await revocations.sync(name);
      } catch {
        pushed = false;
      }
      console.log(
        JSON.stringify(
          {
            dir: paths.dir,
            serverConfig: paths.serverConfig,
            creds: paths.services,
            issuer: paths.issuer,
            pushedTo: pushed ? config.nats.url : null,
          },
          null,
          2,
        ),
      );
      return true;
    }
    case 'nats:creds': {
      const keys = readKeys(paths);
      if (values.for === 'taskinbox') process.stdout.write(readFileSync(paths.services, 'utf8'));
      else if (values.for === 'system') process.stdout.write(readFileSync(paths.system, 'utf8'));
      else if (values.for === 'outside') {
        if (!values.name) throw new Error('--name is required for an outside service (a-z, 0-9, _ and -)');
        const { creds, publicKey } = await issueUser({
          account: 'OUTSIDE',
          accountKey: keys.accounts.OUTSIDE.identity,
          name: values.name,
          scoped: { signingSeed: keys.accounts.OUTSIDE.signing.service, tags: { prefix: config.nats.prefix } },
        });
        console.error(
          `outside service '${values.name}' (${publicKey}): connect with inboxPrefix '_INBOX.${values.name}'`,
        );
        process.stdout.write(creds);
      } else throw new Error('--for must be taskinbox, system or outside');
      return true;
    }
    case 'nats:config': {
      const keys = readKeys(paths);
      const cluster = values.cluster
        ? { name: values.cluster, listen: '0.0.0.0:6222', routes: (values.routes ?? '').split(',').filter(Boolean) }
        : undefined;
      const text = await installationServerConfig(
        keys,
        {
          host: values.host ?? '0.0.0.0',
          port: Number(values.port ?? 4222),
          serverName: values['server-name'] ?? 'taskinbox',
          storeDir: values.store ?? '/data/jetstream',
          resolverDir: values.resolver ?? '/data/jwt',
          cluster,
        },
        await listAllRevocations(pool),
      );
      process.stdout.write(text);
      return true;
    }
    case 'nats:revoke': {
      const account = values.account?.toUpperCase() as AccountName;
      if (!accountNames.includes(account)) throw new Error(`--account must be one of ${accountNames.join(', ')}`);
      if (!values.user || !/^U[A-Z2-7]{55}$/.test(values.user)) throw new Error('--user must be a NATS user key (U…)');
      await revocationsOf(readKeys(paths)).revoke(account, values.user);
      console.log(JSON.stringify({ revoked: values.user, account, pushedTo: config.nats.url }));
      return true;
    }
    default:
      throw new Error(`Unknown command '${command}'.`);
  }
}
