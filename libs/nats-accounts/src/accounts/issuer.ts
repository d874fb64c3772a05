import { readFileSync } from 'node:fs';
import { accountNames, type AccountName, type InstallationKeys, publicKeys } from '../keys/installation.keys';

/**
 * What a process needs to issue and revoke users of some accounts, and nothing more: the
 * installation's public keys, the operator's signing key (account JWTs carry the revocations),
 * the signing keys of the roles it issues, and a system user's creds (to push account updates).
 * `npm run cli -- nats:init` writes it as issuer.json (mode 600; NATS_ISSUER names it).
 */
export interface Issuer {
  keys: InstallationKeys;
  operatorSigning: string;
  signing: Partial<Record<AccountName, Record<string, string>>>;
  system: string;
}

/** The issuer for `roles` (e.g. EVENTS.reader) out of the full keys. */
export function issuerFrom(
  keys: InstallationKeys,
  system: string,
  roles: { account: AccountName; role: string }[],
): Issuer {
  const signing: Issuer['signing'] = {};
  for (const { account, role } of roles) {
    const seed = keys.accounts[account].signing[role];
    if (!seed) throw new Error(`The installation has no ${account} signing key for '${role}'.`);
    signing[account] = { ...signing[account], [role]: seed };
  }
  return { keys: publicKeys(keys), operatorSigning: keys.operatorSigning, signing, system };
}

const isSeed = (value: unknown, kind: 'O' | 'A'): value is string =>
  typeof value === 'string' && value.startsWith(`S${kind}`);

/** Reads issuer.json, naming what is wrong with it. */
export function parseIssuer(text: string, source: string): Issuer {
  let value: Partial<Issuer>;
  try {
    value = JSON.parse(text) as Partial<Issuer>;
  } catch {
    throw new Error(`${source} is not JSON.`);
  }
  const problems: string[] = [];
  if (!isSeed(value.operatorSigning, 'O')) problems.push('operatorSigning must be an operator seed (SO…)');
  if (typeof value.system !== 'string' || !value.system.includes('BEGIN USER NKEY SEED'))
    problems.push('system must be a .creds text');
  for (const name of accountNames) {
    if (typeof value.keys?.accounts?.[name]?.identity !== 'string')
      problems.push(`keys.accounts.${name}.identity is missing`);
  }
  for (const [account, roles] of Object.entries(value.signing ?? {})) {
    for (const [role, seed] of Object.entries(roles ?? {})) {
      if (!isSeed(seed, 'A')) problems.push(`signing.${account}.${role} must be an account seed (SA…)`);
    }
  }
  if (problems.length > 0) throw new Error(`${source} is not a taskinbox NATS issuer file: ${problems.join('; ')}.`);
  return value as Issuer;
}

/** The issuer file NATS_ISSUER names, read and checked; `feature` says who needs it when it is not set. */
export function readIssuer(issuerFile: string | undefined, feature: string): Issuer {
  if (!issuerFile) throw new Error(`NATS_ISSUER is required for ${feature} (npm run cli -- nats:init writes issuer.json).`);
  return parseIssuer(readFileSync(issuerFile, 'utf8'), `NATS_ISSUER (${issuerFile})`);
}
