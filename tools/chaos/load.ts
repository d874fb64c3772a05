import { connect, credsAuthenticator, headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ApiKeyService, AccountService } from '@taskinbox/auth';
import { loadConfig } from '@taskinbox/config';
import { type InstallationKeys, issueUser } from '@taskinbox/nats-accounts';
import { joinByInvitation, openAccounts } from '@taskinbox/testing';
import type { Deployment } from './deployment';

// The client side of a chaos or soak run: an organisation with people and a service key, and a
// load of creates, claim races, completes and comments at a set rate over HTTP and NATS, with
// its own record (the ledger) of what the system acknowledged.

export type Via = 'http' | 'nats';
/** acked: a 2xx (or a NATS reply without error); refused: a 4xx; unknown: 5xx, timeout, no answer. */
export type Outcome = 'acked' | 'refused' | 'unknown';

export interface Ledger {
  creates: Map<string, { key: string; via: Via; outcome: Outcome; id?: string; attempts: number }>;
  races: { taskId: string; claims: { userId: string; via: Via; outcome: Outcome; status?: number }[] }[];
  completes: { taskId: string; via: Via; outcome: Outcome }[];
  comments: { taskId: string; body: string; via: Via; outcome: Outcome }[];
  reads: { ok: number; failed: number };
}

interface Person {
  id: string;
  token: string;
}

export interface LoadOrganisation {
  orgId: string;
  admin: Person;
  members: Person[];
  serviceKey: string;
  taskType: string;
}

/** An organisation with an admin, `members` members and a service API key, made straight in the database. */
export async function prepareOrganisation(deployment: Deployment, members = 6): Promise<LoadOrganisation> {
  const config = loadConfig({ ...deployment.env, HTTP_PORT: '0' });
  const app = await openAccounts(config);
  try {
    const slug = `chaos-${randomBytes(3).toString('hex')}`;
    const org = await app.get(AccountService).createOrganisation(slug, 'Chaos');
    const person = (role: 'admin' | 'member', n: number) =>
      joinByInvitation(app, org.id, { email: `${role}-${n}@${slug}.test`, name: `${role} ${n}`, password: randomBytes(12).toString('hex'), role });
    const admin = await person('admin', 0);
    const people: Person[] = [];
    for (let n = 1; n <= members; n++) people.push(await person('member', n));
    const service = await app.get(ApiKeyService).issue(org.id, 'chaos load', ['tasks:write', 'tasks:read'], null);
    return { orgId: org.id, admin, members: people, serviceKey: service.key, taskType: 'chaos.check' };
  } finally {
    await app.close();
  }
}

/** An outside service's NATS user, as `npm run cli -- nats:creds --for outside` issues it. */
export async function outsideNats(deployment: Deployment): Promise<NatsConnection> {
  const keys = JSON.parse(readFileSync(deployment.nats.paths.keys, 'utf8')) as InstallationKeys;
  const { creds } = await issueUser({
    account: 'OUTSIDE',
    accountKey: keys.accounts.OUTSIDE.identity,
    name: 'chaos-load',
    scoped: { signingSeed: keys.accounts.OUTSIDE.signing.service, tags: { prefix: deployment.prefix } },
  });
  return connect({
    servers: deployment.nats.url,
    name: 'chaos-load',
    authenticator: credsAuthenticator(new TextEncoder().encode(creds)),
    inboxPrefix: '_INBOX.chaos-load',
    // Through NATS restarts: keep trying for as long as the run lasts.
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
  });
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];

export class LoadDriver {
  readonly ledger: Ledger = { creates: new Map(), races: [], completes: [], comments: [], reads: { ok: 0, failed: 0 } };
  /** Acked tasks nobody claimed yet, and claimed ones (winner known) not completed yet. */
  private readonly pending: string[] = [];
  private readonly claimed: { taskId: string; winner: Person }[] = [];
  private readonly all: string[] = [];
  private inFlight = 0;
  private timer?: NodeJS.Timeout;
  private readTimer?: NodeJS.Timeout;
  private ops = new Set<Promise<void>>();
  private turn = 0;

  constructor(
    private readonly deployment: Deployment,
    private readonly org: LoadOrganisation,
    private readonly nc: NatsConnection,
    private readonly settings: { rate: number; maxInFlight?: number; raceSize?: number },
  ) {}

  start(): void {
    const tickMs = 100;
    let owed = 0;
    this.timer = setInterval(() => {
      owed += (this.settings.rate * tickMs) / 1000;
      while (owed >= 1) {
        owed -= 1;
        // A client that waits on a stuck system does not pile up more than this in flight.
        if (this.inFlight >= (this.settings.maxInFlight ?? 64)) continue;
        this.track(this.one());
      }
    }, tickMs);
    this.readTimer = setInterval(() => this.track(this.readInbox()), 1000);
  }

  /** Stops issuing and waits for every request in flight to be answered or time out. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.readTimer);
    while (this.ops.size > 0) await Promise.all([...this.ops]);
  }

  private track(op: Promise<void>): void {
    this.inFlight += 1;
    const tracked = op
      .catch(() => undefined)
      .finally(() => {
        this.inFlight -= 1;
        this.ops.delete(tracked);
      });
    this.ops.add(tracked);
  }

  private async one(): Promise<void> {
    const roll = Math.random();
    if (roll < 0.35 || this.all.length < 5) return this.create();
    if (roll < 0.55 && this.pending.length > 0) return this.race(this.pending.shift()!);
    if (roll < 0.7 && this.claimed.length > 0) return this.complete(this.claimed.shift()!);
    return this.comment(pick(this.all.slice(-200)));
  }

  private via(): Via {
    return Math.random() < 0.5 ? 'http' : 'nats';
  }

  /** A create, retried with its idempotency key until acked or refused (at most ~6 tries), as a careful sender does. */
  private async create(): Promise<void> {
    const key = `chaos-${randomUUID()}`;
    const via = this.via();
    const entry = { key, via, outcome: 'unknown' as Outcome, id: undefined as string | undefined, attempts: 0 };
    this.ledger.creates.set(key, entry);
    const body = { type: this.org.taskType, title: `Chaos ${entry.key.slice(6, 14)}`, payload: { n: this.ledger.creates.size } };
    for (let attempt = 0; attempt < 6; attempt++) {
      entry.attempts += 1;
      const answer =
        via === 'http'
          ? await this.http('ingest', 'POST', '/api/tasks', this.org.serviceKey, body, { 'idempotency-key': key })
          : await this.request('create', { ...body, idempotencyKey: key }, this.org.serviceKey);
      entry.outcome = answer.outcome;
      if (answer.outcome === 'acked') {
        entry.id = (answer.body as { id: string }).id;
        this.pending.push(entry.id);
        this.all.push(entry.id);
        return;
      }
      if (answer.outcome === 'refused') return;
      await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
    }
  }

  /** `raceSize` people claim the same task at once, each over HTTP or NATS. */
  private async race(taskId: string): Promise<void> {
    const people = [...this.org.members].sort(() => Math.random() - 0.5).slice(0, this.settings.raceSize ?? 3);
    const race: Ledger['races'][number] = { taskId, claims: [] };
    this.ledger.races.push(race);
    await Promise.all(
      people.map(async (person) => {
        const via = this.via();
        const answer =
          via === 'http'
            ? await this.http('ingest', 'POST', `/api/inbox/tasks/${taskId}/claim`, person.token)
            : await this.request('claim', { taskId }, person.token);
        race.claims.push({ userId: person.id, via, outcome: answer.outcome, status: answer.status });
        if (answer.outcome === 'acked') this.claimed.push({ taskId, winner: person });
      }),
    );
  }

  private async complete({ taskId, winner }: { taskId: string; winner: Person }): Promise<void> {
    const via = this.via();
    const answer =
      via === 'http'
        ? await this.http('ingest', 'POST', `/api/tasks/${taskId}/complete`, winner.token, { resolution: 'done' })
        : await this.request('complete', { taskId, resolution: 'done' }, winner.token);
    this.ledger.completes.push({ taskId, via, outcome: answer.outcome });
  }

  /** Never retried: a comment has no idempotency key, so a retry could add it twice. */
  private async comment(taskId: string): Promise<void> {
    const via = this.via();
    const body = `chaos comment ${randomUUID()}`;
    const person = pick(this.org.members);
    const answer =
      via === 'http'
        ? await this.http('ingest', 'POST', `/api/tasks/${taskId}/comments`, person.token, { body })
        : await this.request('comment', { taskId, body }, person.token);
    this.ledger.comments.push({ taskId, body, via, outcome: answer.outcome });
  }

  private async readInbox(): Promise<void> {
    const answer = await this.http('query', 'GET', '/api/inbox/tasks?limit=50', pick(this.org.members).token);
    if (answer.outcome === 'acked') this.ledger.reads.ok += 1;
    else this.ledger.reads.failed += 1;
  }

  /** One HTTP request to a replica of `app` (round robin); a refused connection tries the next, as a load balancer would. */
  private async http(
    app: 'ingest' | 'query',
    method: string,
    path: string,
    token: string,
    body?: unknown,
    extra: Record<string, string> = {},
  ): Promise<{ outcome: Outcome; status?: number; body?: unknown }> {
    const urls = this.deployment.urls(app);
    const first = this.turn++;
    for (let n = 0; n < urls.length; n++) {
      const url = urls[(first + n) % urls.length];
      try {
        const response = await fetch(`${url}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...extra },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(15_000),
        });
        const text = await response.text();
        const parsed = text ? (JSON.parse(text) as unknown) : undefined;
        const outcome: Outcome = response.status < 300 ? 'acked' : response.status < 500 ? 'refused' : 'unknown';
        return { outcome, status: response.status, body: parsed };
      } catch (error) {
        // Nothing reached the server: another replica may take it. Anything else is unknown.
        const code = (error as { cause?: { code?: string } }).cause?.code;
        if (code !== 'ECONNREFUSED') return { outcome: 'unknown' };
      }
    }
    return { outcome: 'unknown' };
  }

  private async request(verb: string, body: unknown, token: string): Promise<{ outcome: Outcome; status?: number; body?: unknown }> {
    const h = natsHeaders();
    h.set('Authorization', `Bearer ${token}`);
    try {
      const reply = await this.nc.request(`${this.deployment.prefix}.tasks.${verb}`, JSON.stringify(body), { timeout: 15_000, headers: h });
      const answer = reply.json<{ response?: unknown; err?: { statusCode?: number } }>();
      if (answer.err) {
        const status = answer.err.statusCode ?? 500;
        return { outcome: status < 500 ? 'refused' : 'unknown', status };
      }
      return { outcome: 'acked', status: 200, body: answer.response };
    } catch {
      return { outcome: 'unknown' };
    }
  }
}
