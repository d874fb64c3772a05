import { createAccount, createOperator, fromSeed } from '@nats-io/nkeys';

/**
 * The accounts of one taskinbox installation on NATS:
 * - SYS: the server's system account (claims updates, connect/disconnect events);
 * - TASKINBOX: taskinbox's own services, JetStream, every subject;
 * - OUTSIDE: services of the organisations, which may only send commands and hear the replies;
 * - EVENTS: organisations' event readers, each limited to its organisation's events;
 * - DEVICES: enrolled devices, each limited to its own wake-ups and reports.
 */
export const accountNames = ['SYS', 'TASKINBOX', 'OUTSIDE', 'EVENTS', 'DEVICES'] as const;
export type AccountName = (typeof accountNames)[number];

/** An account's identity key and its signing keys by role; seeds (S…) or public keys (A…). */
export interface AccountKeys {
  identity: string;
  signing: Record<string, string>;
}

/**
 * Every key of an installation. With seeds this is the operator's secret (never logged, file
 * mode 600); `publicKeys()` gives the half that claims are built from.
 */
export interface InstallationKeys {
  operator: string;
  /** Signs the account JWTs, so the operator's identity seed can stay offline. */
  operatorSigning: string;
  accounts: Record<AccountName, AccountKeys>;
}

/** The signing-key roles each account's users are issued with (see account.specs.ts). */
export const signingRoles: Record<AccountName, readonly string[]> = {
  SYS: [],
  TASKINBOX: [],
  OUTSIDE: ['service'],
  EVENTS: ['reader'],
  DEVICES: ['device'],
};

const seedOf = (pair: { getSeed(): Uint8Array }): string => new TextDecoder().decode(pair.getSeed());

/**
 * Fills in whatever key is missing (all of them for a new installation) and keeps the rest, so
 * a role added to signingRoles later gets its key without touching the others.
 */
export function completeKeys(existing?: Partial<InstallationKeys>): InstallationKeys {
  const accounts = {} as Record<AccountName, AccountKeys>;
  for (const name of accountNames) {
    const had = existing?.accounts?.[name];
    const signing: Record<string, string> = { ...had?.signing };
    for (const role of signingRoles[name]) signing[role] ??= seedOf(createAccount());
    accounts[name] = { identity: had?.identity ?? seedOf(createAccount()), signing };
  }
  return {
    operator: existing?.operator ?? seedOf(createOperator()),
    operatorSigning: existing?.operatorSigning ?? seedOf(createOperator()),
    accounts,
  };
}

/** The public key of a seed, or the key itself when it already is public. */
export function publicKeyOf(key: string): string {
  return key.startsWith('S') ? fromSeed(new TextEncoder().encode(key)).getPublicKey() : key;
}

/** The same keys with every seed replaced by its public key: safe to share and to log. */
export function publicKeys(keys: InstallationKeys): InstallationKeys {
  const accounts = {} as Record<AccountName, AccountKeys>;
  for (const name of accountNames) {
    const { identity, signing } = keys.accounts[name];
    accounts[name] = {
      identity: publicKeyOf(identity),
      signing: Object.fromEntries(Object.entries(signing).map(([role, key]) => [role, publicKeyOf(key)])),
    };
  }
  return { operator: publicKeyOf(keys.operator), operatorSigning: publicKeyOf(keys.operatorSigning), accounts };
}
