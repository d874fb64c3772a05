import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { AccountService, ApiKeyService } from '@taskinbox/auth';
import { type Config, loadConfig } from '@taskinbox/config';
import { joinByInvitation, openAccounts } from '@taskinbox/testing';

// What the browser benches (bench:web, bench:lighthouse) put in the inbox and how they sign in.

/** An organisation with an admin who signs in with a password, and a service key that creates tasks. */
export async function benchAdmin(url: string): Promise<{ config: Config; email: string; password: string; key: string }> {
  const config = loadConfig({ JWT_SECRET: randomBytes(32).toString('hex'), DATABASE_URL: url });
  const accounts = await openAccounts(config);
  const org = await accounts.get(AccountService).createOrganisation('bench', 'Bench');
  const password = randomBytes(12).toString('hex');
  const email = 'bench@taskinbox.test';
  await joinByInvitation(accounts, org.id, { email, name: 'Bench Admin', password, role: 'admin' });
  const { key } = await accounts.get(ApiKeyService).issue(org.id, 'bench', ['tasks:write'], null);
  await accounts.close();
  return { config, email, password, key };
}

/** Creates `count` open tasks over the HTTP API, 20 at a time, as the organisation's service. */
export async function createTasks(base: string, key: string, count: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const response = await fetch(`${base}/api/tasks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          type: i % 3 === 0 ? 'content.flag' : 'refund.request',
          title: `Refund order ${i}`,
          payload: { order: i },
          tags: ['bench'],
        }),
      });
      if (response.status !== 201) throw new Error(`create failed: ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: 20 }, worker));
}

/** Waits until the projector has put `count` tasks in the inbox read model. */
export async function waitForInbox(pool: Pool, count: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const { rows } = await pool.query<{ count: string }>('SELECT count(*) FROM inbox_tasks');
    if (Number(rows[0].count) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the inbox did not reach the task count');
}

/** Signs in over the API; returns the SPA's stored session (localStorage 'taskinbox.session') and the token. */
export async function signIn(base: string, email: string, password: string): Promise<{ session: string; token: string }> {
  const login = (await (
    await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    })
  ).json()) as { accessToken: string; organisation: unknown; organisations: unknown[] };
  const session = JSON.stringify({
    token: login.accessToken,
    userId: JSON.parse(Buffer.from(login.accessToken.split('.')[1], 'base64url').toString()).sub,
    role: 'admin',
    email,
    organisation: login.organisation,
    organisations: login.organisations,
  });
  return { session, token: login.accessToken };
}
