import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { check, type Findings, losses, progress, type WebhookEndpointUnderTest } from './checks';
import { Deployment } from './deployment';
import { type FaultCounts, FaultInjector, pause } from './faults';
import { LoadDriver, outsideNats, prepareOrganisation } from './load';
import { WebhookReceiver } from './webhook-receiver';

// npm run chaos -- --minutes N [--rate R] [--kill-every S] [--server-faults K]
// The split deployment under load while processes are killed and servers restarted; then, once
// quiet, the client's ledger against the event store, read models, JetStream and webhooks.

export interface ChaosOptions {
  /** Whole run, load and the wait for quiet, in minutes; the load gets about 70% of it. */
  minutes: number;
  /** Commands per second. */
  rate: number;
  killEverySeconds: number;
  /** Each server fault (NATS restart, Redis wipe, PostgreSQL crash) this many times; default: one per 2.5 minutes of load, at least 1. */
  serverFaults?: number;
  log?: (line: string) => void;
}

export interface ChaosResult {
  findings: Findings;
  faults: FaultCounts;
  problems: string[];
  lines: string[];
  loadSeconds: number;
  quietSeconds: number;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const started = Date.now();
  const budgetMs = options.minutes * 60_000;
  const loadMs = Math.max(20_000, budgetMs * 0.7);
  const deployment = await Deployment.start();
  const receiver = new WebhookReceiver();
  let nc: Awaited<ReturnType<typeof outsideNats>> | undefined;
  try {
    await receiver.start();
    log(`chaos: deployment up in ${Math.round((Date.now() - started) / 1000)} s (${deployment.services.length} service processes; logs in ${deployment.dir})`);
    const org = await prepareOrganisation(deployment);
    const endpoints: WebhookEndpointUnderTest[] = [];
    for (const [name, ordered] of [['ordered', true], ['unordered', false]] as const) {
      const place = receiver.path(name);
      const response = await fetch(`${deployment.urls('webhooks')[0]}/api/webhooks/endpoints`, {
        method: 'POST',
        headers: { authorization: `Bearer ${org.admin.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: place.url, ordered, description: `chaos ${name}` }),
      });
      const body = (await response.json()) as { secret?: string };
      if (response.status !== 201 || !body.secret) throw new Error(`endpoint not created: ${response.status} ${JSON.stringify(body)}`);
      receiver.secret(place.path, body.secret);
      endpoints.push({ name, ordered, record: place.record });
    }
    nc = await outsideNats(deployment);

    const load = new LoadDriver(deployment, org, nc, { rate: options.rate });
    const faults = new FaultInjector(deployment, { killEverySeconds: options.killEverySeconds, serverFaults: options.serverFaults ?? Math.max(1, Math.floor(loadMs / 150_000)) }, log);
    load.start();
    faults.start(loadMs);
    await pause(loadMs);
    await faults.stop();
    await load.stop();
    const loadSeconds = Math.round((Date.now() - started) / 1000);

    // Quiet: everything running again, and projection, relay and both endpoints caught up
    // with the event store, or no progress for two minutes.
    const quietFrom = Date.now();
    let last = '';
    let lastChange = Date.now();
    for (;;) {
      deployment.reviveAll();
      const now = await progress(deployment, org.orgId, endpoints).catch(() => undefined);
      if (now) {
        if (now.projected === now.events && now.relayed >= now.events && now.webhooks.every((count) => count >= now.events)) break;
        const figures = JSON.stringify(now);
        if (figures !== last) {
          last = figures;
          lastChange = Date.now();
        }
      }
      if (Date.now() - lastChange > 120_000) {
        log(`chaos: no progress for 2 minutes; checking as it is (${last})`);
        break;
      }
      await pause(2000);
    }
    const quietSeconds = Math.round((Date.now() - quietFrom) / 1000);

    const findings = await check(deployment, org.orgId, load.ledger, endpoints, faults.timeline);
    const problems = losses(findings);
    const lines = report(findings, faults.counts, load.ledger.reads, { loadSeconds, quietSeconds, rate: options.rate }, problems);
    for (const line of lines) log(line);
    return { findings, faults: faults.counts, problems, lines, loadSeconds, quietSeconds };
  } finally {
    await nc?.close().catch(() => undefined);
    await receiver.stop();
    await deployment.stop();
  }
}

function report(
  f: Findings,
  faults: FaultCounts,
  reads: { ok: number; failed: number },
  run: { loadSeconds: number; quietSeconds: number; rate: number },
  problems: string[],
): string[] {
  const kills = Object.entries(faults.kills).map(([app, n]) => `${app} ${n}`).join(', ');
  const totalKills = Object.values(faults.kills).reduce((a, b) => a + b, 0);
  return [
    `chaos: load ${run.loadSeconds} s at ${run.rate} commands/s, quiet after ${run.quietSeconds} s more`,
    `chaos: faults: kill -9 ${totalKills} (${kills}); NATS restarts ${faults.natsRestarts}; Redis SHUTDOWN NOSAVE ${faults.redisWipes}; PostgreSQL crash restarts ${faults.postgresRestarts}`,
    `chaos: creates: ${f.creates.attempted} sent, ${f.creates.acked} acked (${f.creates.unacked} never acked); in event store once ${f.creates.inStoreOnce}, in inbox once ${f.creates.inInboxOnce}; lost ${f.creates.lost}, doubled ${f.creates.doubled}`,
    `chaos: read models: ${f.readModels.tasks} tasks, equal to the fold of their stream ${f.readModels.equalToFold}, wrong ${f.readModels.wrong}, missing ${f.readModels.missing}`,
    `chaos: JetStream: ${f.jetstream.events} events, reached once ${f.jetstream.reachedOnce}, missing ${f.jetstream.missing}, twice ${f.jetstream.duplicates}`,
    ...f.webhooks.map(
      (w) => `chaos: webhooks ${w.endpoint}: expected ${w.expected}, arrived ${w.arrived}, missing ${w.missing}, duplicates ${w.duplicates}${w.duplicates ? ` (after: ${Object.entries(w.duplicatesAfter).map(([fault, n]) => `${fault} ${n}`).join(', ')})` : ''}${w.ordered ? `, order violations ${w.orderViolations}` : ''}, bad signatures ${w.badSignatures}`,
    ),
    `chaos: claim races: ${f.claims.races}, with a winner ${f.claims.withWinner}, two winners ${f.claims.twoWinners}, acked winner not the claimer ${f.claims.ackedWinnerNotTheClaimer}`,
    `chaos: completes acked ${f.completes.acked}, lost ${f.completes.lost}; comments acked ${f.comments.acked} (unknown ${f.comments.unknown}), lost ${f.comments.lost}, applied twice ${f.comments.doubled}; inbox reads ok ${reads.ok}, failed ${reads.failed}`,
    ...f.webhooks.flatMap((w) => w.duplicateTraces.map((trace) => `chaos: duplicate on ${w.endpoint}: ${trace}`)),
    ...f.readModels.examples.map((example) => `chaos: example: ${example}`),
    problems.length === 0 ? 'chaos: PASS: nothing acknowledged was lost or applied twice' : `chaos: FAIL: ${problems.join('; ')}`,
  ];
}

if (require.main === module) {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '3' },
      rate: { type: 'string', default: '10' },
      'kill-every': { type: 'string', default: '5' },
      'server-faults': { type: 'string' },
    },
  });
  runChaos({
    minutes: Number(values.minutes),
    rate: Number(values.rate),
    killEverySeconds: Number(values['kill-every']),
    serverFaults: values['server-faults'] ? Number(values['server-faults']) : undefined,
  })
    .then((result) => process.exit(result.problems.length === 0 ? 0 : 1))
    .catch((error) => {
      console.error(error);
      process.exit(2);
    });
}
