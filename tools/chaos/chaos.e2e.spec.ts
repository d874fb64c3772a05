import { runChaos } from './chaos';

// The short form of `npm run chaos` (needs dist: npm test builds it first): the split
// deployment on its own PostgreSQL, Redis and NATS, a minute and a half of load while services
// are killed and each server fails once, then the same zero-loss checks as the long run.
jest.setTimeout(15 * 60_000);

it('loses nothing acknowledged, applies nothing twice and keeps order under kills and server restarts', async () => {
  const lines: string[] = [];
  const result = await runChaos({ minutes: 1.5, rate: 6, killEverySeconds: 10, serverFaults: 1, log: (line) => lines.push(line) });
  process.stdout.write(`${lines.join('\n')}\n`);

  // The faults happened, and load went through them.
  expect(result.faults.natsRestarts).toBe(1);
  expect(result.faults.redisWipes).toBe(1);
  expect(result.faults.postgresRestarts).toBe(1);
  expect(Object.values(result.faults.kills).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  expect(result.findings.creates.acked).toBeGreaterThan(20);
  expect(result.findings.claims.withWinner).toBeGreaterThan(0);

  expect(result.problems).toEqual([]);
  const { creates, readModels, jetstream, webhooks } = result.findings;
  expect(creates.inStoreOnce).toBe(creates.acked);
  expect(creates.inInboxOnce).toBe(creates.acked);
  expect(readModels.equalToFold).toBe(readModels.tasks);
  expect(jetstream.reachedOnce).toBe(jetstream.events);
  for (const endpoint of webhooks) expect(endpoint.arrived).toBe(endpoint.expected);
});
