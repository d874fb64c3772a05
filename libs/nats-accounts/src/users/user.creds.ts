import { createUser } from '@nats-io/nkeys';
import { encodeUser, fmtCreds } from '@nats-io/jwt';
import type { AccountName } from '../keys/installation.keys';
import { publicKeyOf } from '../keys/installation.keys';

/** A user name is also its inbox token (`_INBOX.<name>`) and, for readers, a consumer name. */
export const userNamePattern = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export interface IssuedUser {
  /** The user's nkey (U…): what a revocation names. */
  publicKey: string;
  /** Unix seconds the JWT was issued at; a revocation covers JWTs issued at or before its time. */
  issuedAt: number;
  /** The `.creds` file (JWT and seed): the user's secret, shown once. */
  creds: string;
}

/**
 * Issues a user of `account`. With `scoped` (a role's signing-key seed) the user gets exactly
 * that role's template, filled from `tags`; without, the account's identity seed signs and the
 * user may do anything in the account (taskinbox's own services, the system user).
 */
export async function issueUser(options: {
  account: AccountName;
  /** The account's identity key: its seed when unscoped, its public key is enough when scoped. */
  accountKey: string;
  name: string;
  scoped?: { signingSeed: string; tags: Record<string, string> };
}): Promise<IssuedUser> {
  if (!userNamePattern.test(options.name))
    throw new Error(`'${options.name}' is not a NATS user name (${userNamePattern}).`);
  const user = createUser();
  const { scoped } = options;
  const jwt = scoped
    ? await encodeUser(
        options.name,
        user,
        publicKeyOf(options.accountKey),
        { tags: Object.entries(scoped.tags).map(([key, value]) => `${key}:${value}`) },
        { signer: scoped.signingSeed, scopedUser: true },
      )
    : await encodeUser(options.name, user, options.accountKey);
  const issuedAt = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')).iat as number;
  return { publicKey: user.getPublicKey(), issuedAt, creds: new TextDecoder().decode(fmtCreds(jwt, user)) };
}
