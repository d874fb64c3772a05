import { randomBytes } from 'node:crypto';
import { dropQueue, startTestApp, type TestApp } from '@taskinbox/testing';
import { appFeatureModules } from '../src/app.module';

/**
 * The one-process app (every module of apps/taskinbox) on a test database. Webhooks record
 * deliveries but send none, and every host name resolves to one public documentation address
 * without asking DNS: what the tests here create must not reach the addresses they invent.
 * With `natsQueue` it also answers NATS requests, as `main.ts` does (queue 'ingest'). Custom
 * actions are recorded but run only with `runActions` (their calls reach only 127.0.0.1 then,
 * with WEBHOOK_ALLOWED_HOSTS): a request of the fuzz suite must never call out.
 */
export async function startOneProcessApp(
  env: NodeJS.ProcessEnv = {},
  options: { natsQueue?: string; runActions?: boolean } = {},
): Promise<TestApp> {
  const queueName = `test-app-${randomBytes(4).toString('hex')}`;
  const t = await startTestApp({
    imports: appFeatureModules({
      relay: { standbyPollMs: 100, retryMinMs: 50 },
      webhooks: { queueName, deliver: false, resolver: async () => [{ address: '93.184.216.34', family: 4 }] },
      attachments: { queueName: `${queueName}-attachments` },
      notifications: { queueName: `${queueName}-notifications` },
      taskActions: { queueName: `${queueName}-actions`, retryDelayMs: 100, work: options.runActions ?? false, resolver: async () => [] },
    }),
    env: { WEBHOOK_SECRET_KEY: randomBytes(32).toString('base64'), ...env },
    natsQueue: options.natsQueue,
  });
  return {
    ...t,
    async close() {
      await t.close();
      await dropQueue(queueName);
      await dropQueue(`${queueName}-attachments`);
      await dropQueue(`${queueName}-notifications`);
      await dropQueue(`${queueName}-actions`);
    },
  };
}

/** Waits until the projector has written every event appended so far into the read models. */
export async function projected(t: TestApp): Promise<void> {
  for (;;) {
    const { rows } = await t.pool.query<{ done: boolean }>(
      `SELECT coalesce((SELECT position FROM projection_checkpoints WHERE name = 'read-models') >=
         (SELECT es_position(tx_id, global_position) FROM es_events ORDER BY tx_id DESC, global_position DESC LIMIT 1), false) AS done`,
    );
    if (rows[0].done) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
