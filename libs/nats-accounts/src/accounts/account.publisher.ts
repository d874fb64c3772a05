import { decode, type Account, type RevocationList } from '@nats-io/jwt';
import { connect, credsAuthenticator, type NatsConnection } from '@nats-io/transport-node';
import { type AccountName, publicKeyOf } from '../keys/installation.keys';
import { signAccount } from './account.specs';
import type { Issuer } from './issuer';

interface ClaimsUpdateReply {
  data?: { code?: number; message?: string };
  error?: { code?: number; description?: string };
}

/**
 * Pushes account JWTs to the running NATS (the `full` resolver stores them and tells the whole
 * cluster): a revoked user's connections are closed within moments and it cannot connect again.
 */
export class AccountPublisher {
  constructor(
    private readonly issuer: Issuer,
    private readonly natsUrl: string,
  ) {}

  /**
   * Signs `account` with `revocations` added to those the server already has (revocations are
   * never taken back, whoever pushed them) and pushes it. With `onlyIfMissing`, does nothing
   * when the server already has every one of them; answers whether it pushed.
   */
  async publish(
    account: AccountName,
    revocations: RevocationList,
    options: { onlyIfMissing?: boolean } = {},
  ): Promise<boolean> {
    if (options.onlyIfMissing && Object.keys(revocations).length === 0) return false;
    const system = await this.connect();
    try {
      const current = await this.lookup(system, account);
      const merged: RevocationList = { ...current };
      for (const [user, at] of Object.entries(revocations)) merged[user] = Math.max(merged[user] ?? 0, at);
      const missing = Object.entries(revocations).some(([user, at]) => (current[user] ?? -1) < at);
      if (options.onlyIfMissing && !missing) return false;
      const jwt = await signAccount(account, this.issuer.keys, this.issuer.operatorSigning, merged);
      await this.push(system, jwt);
      return true;
    } finally {
      await system.close();
    }
  }

  private connect(): Promise<NatsConnection> {
    return connect({
      servers: this.natsUrl,
      name: 'taskinbox-account-publisher',
      authenticator: credsAuthenticator(new TextEncoder().encode(this.issuer.system)),
      maxReconnectAttempts: 0,
    });
  }

  /** The revocations of the account JWT the server holds now. */
  private async lookup(system: NatsConnection, account: AccountName): Promise<RevocationList> {
    const key = publicKeyOf(this.issuer.keys.accounts[account].identity);
    const reply = await system.request(`$SYS.REQ.ACCOUNT.${key}.CLAIMS.LOOKUP`, '', { timeout: 5000 });
    const text = reply.string();
    if (!text.startsWith('ey')) return {};
    return decode<Account>(text).nats.revocations ?? {};
  }

  private async push(system: NatsConnection, jwt: string): Promise<void> {
    const reply = (await system.request('$SYS.REQ.CLAIMS.UPDATE', jwt, { timeout: 5000 })).json<ClaimsUpdateReply>();
    if (reply.error || reply.data?.code !== 200) {
      throw new Error(`NATS refused the account update: ${reply.error?.description ?? JSON.stringify(reply)}`);
    }
  }
}
