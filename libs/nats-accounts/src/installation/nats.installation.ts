import type { RevocationList } from '@nats-io/jwt';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { signAccount, signOperator } from '../accounts/account.specs';
import { issuerFrom } from '../accounts/issuer';
import {
  accountNames,
  type AccountName,
  completeKeys,
  type InstallationKeys,
  publicKeyOf,
} from '../keys/installation.keys';
import { serverConfig, type ServerConfigOptions } from '../server/server.config';
import { issueUser } from '../users/user.creds';

/** The files of an installation's NATS directory (`.taskinbox/nats` for npm start). */
export interface InstallationPaths {
  dir: string;
  /** Every seed: the operator's secret. */
  keys: string;
  serverConfig: string;
  /** The user taskinbox's own services connect with (NATS_CREDS). */
  services: string;
  /** A system-account user: pushes account updates, hears connect events. */
  system: string;
  /** What the service with /api/event-readers needs (NATS_ISSUER). */
  issuer: string;
  resolverDir: string;
  storeDir: string;
}

export function installationPaths(dir: string): InstallationPaths {
  const at = (name: string) => path.join(dir, name);
  return {
    dir,
    keys: at('keys.json'),
    serverConfig: at('nats-server.conf'),
    services: at('taskinbox.creds'),
    system: at('system.creds'),
    issuer: at('issuer.json'),
    resolverDir: at('jwt'),
    storeDir: at('jetstream'),
  };
}

/** Secrets are readable by their owner only, also when the file was there before. */
function writeSecret(file: string, content: string): void {
  writeFileSync(file, content, { mode: 0o600 });
  chmodSync(file, 0o600);
}

export interface Installation {
  paths: InstallationPaths;
  keys: InstallationKeys;
  operatorJwt: string;
  accountJwts: Record<AccountName, string>;
}

export type InstallationServerOptions = Pick<ServerConfigOptions, 'host' | 'port'> &
  Partial<Pick<ServerConfigOptions, 'serverName' | 'storeDir' | 'resolverDir' | 'maxMemory' | 'maxFile' | 'cluster'>>;

/** The operator's and every account's JWT, signed from account.specs.ts with `revocations`. */
export async function signInstallation(
  keys: InstallationKeys,
  revocations: Partial<Record<AccountName, RevocationList>> = {},
): Promise<Pick<Installation, 'operatorJwt' | 'accountJwts'>> {
  const accountJwts = {} as Record<AccountName, string>;
  for (const name of accountNames)
    accountJwts[name] = await signAccount(name, keys, keys.operatorSigning, revocations[name]);
  return { operatorJwt: await signOperator(keys), accountJwts };
}

/** A nats-server.conf for this installation: one server, or one member of a cluster. */
export async function installationServerConfig(
  keys: InstallationKeys,
  options: InstallationServerOptions & { storeDir: string; resolverDir: string },
  revocations?: Partial<Record<AccountName, RevocationList>>,
): Promise<string> {
  const { operatorJwt, accountJwts } = await signInstallation(keys, revocations);
  return serverConfig({
    serverName: 'taskinbox',
    ...options,
    operatorJwt,
    systemAccount: publicKeyOf(keys.accounts.SYS.identity),
    accounts: Object.fromEntries(
      accountNames.map((name) => [publicKeyOf(keys.accounts[name].identity), accountJwts[name]]),
    ),
  });
}

/**
 * Makes the installation's NATS directory complete and current: keys that are missing are
 * generated (existing ones are kept), the services' and system users' creds are issued once,
 * the account JWTs are signed afresh from account.specs.ts with `revocations`, and the server
 * configuration names them all. Nothing secret is printed or logged.
 */
export async function initInstallation(
  dir: string,
  options: InstallationServerOptions & { revocations?: Partial<Record<AccountName, RevocationList>> },
): Promise<Installation> {
  const paths = installationPaths(path.resolve(dir));
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  chmodSync(paths.dir, 0o700);
  const keys = readKeys(paths);
  for (const [file, account, name] of [
    [paths.services, 'TASKINBOX', 'taskinbox'],
    [paths.system, 'SYS', 'system'],
  ] as const) {
    if (!existsSync(file))
      writeSecret(file, (await issueUser({ account, accountKey: keys.accounts[account].identity, name })).creds);
  }
  const issuer = issuerFrom(keys, readFileSync(paths.system, 'utf8'), [
    { account: 'EVENTS', role: 'reader' },
    { account: 'DEVICES', role: 'device' },
  ]);
  writeSecret(paths.issuer, `${JSON.stringify(issuer, null, 2)}\n`);

  const { revocations, ...server } = options;
  const signed = await signInstallation(keys, revocations);
  writeSecret(
    paths.serverConfig,
    await installationServerConfig(
      keys,
      { ...server, storeDir: server.storeDir ?? paths.storeDir, resolverDir: server.resolverDir ?? paths.resolverDir },
      revocations,
    ),
  );
  return { paths, keys, ...signed };
}

/** The installation's keys, completed with any that are missing (saved when something was added). */
export function readKeys(paths: InstallationPaths): InstallationKeys {
  const before = existsSync(paths.keys)
    ? (JSON.parse(readFileSync(paths.keys, 'utf8')) as InstallationKeys)
    : undefined;
  const keys = completeKeys(before);
  if (JSON.stringify(keys) !== JSON.stringify(before)) writeSecret(paths.keys, `${JSON.stringify(keys, null, 2)}\n`);
  return keys;
}
