import type { NatsConnection } from '@nats-io/transport-node';
import { randomUUID } from 'node:crypto';
import { register } from 'prom-client';
import { IngestModule } from '@taskinbox/ingest';
import { natsNames, RelayModule, TaskEventFeed, taskEventSubject } from '@taskinbox/messaging';
import { call, connectTestNats, startTestApp, type TestApp, type TestOrganisation } from '@taskinbox/testing';
import { StreamModule } from './stream.module';

// The whole path for real: HTTP command → event store → relay → JetStream → core NATS → SSE.
// The subject prefix (and so the stream) is this file's own, so nothing else on the machine interferes.
jest.setTimeout(30_000);

let t: TestApp;
let acme: TestOrganisation;
let globex: TestOrganisation;
let nc: NatsConnection;
let appClosed = false;
const openStreams: SseClient[] = [];

beforeAll(async () => {
  t = await startTestApp({
    imports: [
      IngestModule,
      RelayModule.forRoot({ standbyPollMs: 100, retryMinMs: 50 }),
      StreamModule.forRoot({ heartbeatMs: 300 }),
    ],
  });
  [acme, globex] = await Promise.all([t.createOrganisation('acme'), t.createOrganisation('globex')]);
  nc = await connectTestNats();
});
afterEach(() => {
  for (const stream of openStreams.splice(0)) stream.close();
});
afterAll(async () => {
  try {
    if (!appClosed) await t?.close();
  } finally {
    await nc?.close();
  }
});

interface SseEvent {
  event: string;
  id: string;
  data: any;
}

interface SseClient {
  status: number;
  headers: Headers;
  events: SseEvent[];
  /** The `ready` event's log position, once it came (null: the server could not read it). */
  ready?: string | null;
  comments: string[];
  /** The server ended the response. */
  ended: boolean;
  waitFor(what: string, condition: () => boolean, timeoutMs?: number): Promise<void>;
  close(): void;
}

/** A minimal EventSource: reads the response body and parses frames as they come. */
async function openStream(path: string, token?: string): Promise<SseClient> {
  const abort = new AbortController();
  const response = await fetch(`${t.url}${path}`, {
    headers: { accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    signal: abort.signal,
  });
  const client: SseClient = {
    status: response.status,
    headers: response.headers,
    events: [],
    comments: [],
    ended: false,
    async waitFor(what, condition, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (!condition()) {
        if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    close: () => abort.abort(),
  };
  openStreams.push(client);
  if (response.status !== 200 || !response.body) return client;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return void (client.ended = true);
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields: Record<string, string> = {};
          for (const line of frame.split('\n')) {
            if (line.startsWith(':')) client.comments.push(line.slice(1).trim());
            else fields[line.slice(0, line.indexOf(':'))] = line.slice(line.indexOf(':') + 1).trimStart();
          }
          if (fields.event === 'ready') client.ready = JSON.parse(fields.data).position;
          else if (fields.data !== undefined)
            client.events.push({ event: fields.event, id: fields.id, data: JSON.parse(fields.data) });
        }
      }
    } catch {
      // aborted by the test
    }
  })();
  await client.waitFor('the stream to open', () => client.comments.includes('connected'));
  return client;
}


async function claimTask(org: TestOrganisation, taskId: string): Promise<void> {
  expect((await call(t.url, 'POST', `/api/inbox/tasks/${taskId}/claim`, { token: org.tokens.admin })).status).toBe(200);
}

describe('GET /api/stream', () => {
  it("sends a client its own organisation's task events, and never another's", async () => {
    // EventSource style (query parameter) and header style.
    const acmeViewer = await openStream(`/api/stream?access_token=${encodeURIComponent(acme.tokens.viewer)}`);
    const acmeAdmin = await openStream('/api/stream', acme.tokens.admin);
    const globexMember = await openStream('/api/stream', globex.tokens.member);
    expect(acmeViewer.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(acmeViewer.headers.get('cache-control')).toMatch(/no-cache/);
    expect(acmeViewer.headers.get('x-correlation-id')).toBeTruthy();

    const acmeTask = await acme.createTask('refund.approval');
    const globexTask = await globex.createTask('content-flag');
    await claimTask(globex, globexTask);
    // Published last: once it reaches acme's clients, anything of globex's would have too.
    await claimTask(acme, acmeTask);

    for (const client of [acmeViewer, acmeAdmin]) {
      await client.waitFor("acme's claim", () => client.events.some((event) => event.event === 'task.claimed'));
      expect(client.events.map((event) => [event.event, event.data.taskId])).toEqual([
        ['task.created', acmeTask],
        ['task.claimed', acmeTask],
      ]);
      expect(client.events.every((event) => event.data.orgId === acme.id)).toBe(true);
    }
    const [created, claimed] = acmeViewer.events;
    expect(claimed.id).toBe(claimed.data.position);
    expect(created.id < claimed.id).toBe(true);
    expect(created.data).toMatchObject({
      type: 'task.created',
      eventType: 'TaskCreated',
      taskType: 'refund.approval',
      revision: 0,
    });
    expect(claimed.data).toMatchObject({
      type: 'task.claimed',
      eventType: 'TaskClaimed',
      taskType: 'refund.approval',
      revision: 1,
      actor: `user:${acme.userIds.admin}`,
      data: { taskId: acmeTask, by: { kind: 'user', id: acme.userIds.admin } },
    });

    await globexMember.waitFor("globex's claim", () => globexMember.events.length === 2);
    expect(globexMember.events.map((event) => [event.event, event.data.taskId])).toEqual([
      ['task.created', globexTask],
      ['task.claimed', globexTask],
    ]);
  });

  it("says once subscribed where the log stood: events sent before it are at or before that position, later ones after", async () => {
    // The log is never empty here, so ready always names a position.
    await acme.createTask('refund.approval');
    const first = await openStream('/api/stream', acme.tokens.viewer);
    await first.waitFor('the ready event', () => first.ready !== undefined);
    expect(typeof first.ready).toBe('string');
    const before = await acme.createTask('refund.approval');
    await first.waitFor('the first task', () => first.events.some((event) => event.data.taskId === before));
    const published = first.events.find((event) => event.data.taskId === before)!.id;
    expect(published > first.ready!).toBe(true);

    // The first task's event went out before this client subscribed, so its ready position is at or past it.
    const second = await openStream('/api/stream', acme.tokens.viewer);
    await second.waitFor('the ready event', () => second.ready !== undefined);
    expect(typeof second.ready).toBe('string');
    expect(second.ready! >= published).toBe(true);
    expect(second.events.some((event) => event.data.taskId === before)).toBe(false);

    const after = await acme.createTask('refund.approval');
    await second.waitFor('the later task', () => second.events.some((event) => event.data.taskId === after));
    expect(second.events.find((event) => event.data.taskId === after)!.id > second.ready!).toBe(true);
  });

  it('opens properly while events arrive as it subscribes: headers first, then connected, then the events', async () => {
    const { events } = natsNames(t.config.nats.prefix);
    const envelope = () => ({
      id: randomUUID(),
      type: 'task.created',
      eventType: 'TaskCreated' as const,
      orgId: acme.id,
      taskId: randomUUID(),
      taskType: 'refund.approval',
      revision: 0,
      position: '1',
      occurredAt: new Date().toISOString(),
      actor: 'user:busy',
      correlationId: 'busy',
      data: null,
    });
    // A busy organisation: an event every millisecond, so some arrive while each stream's subscription is confirmed.
    const flood = setInterval(() => {
      const event = envelope();
      nc.publish(taskEventSubject(events, event), JSON.stringify(event));
    }, 1);
    try {
      for (let i = 0; i < 10; i++) {
        const client = await openStream('/api/stream', acme.tokens.viewer);
        expect(client.status).toBe(200);
        expect(client.headers.get('content-type')).toMatch(/^text\/event-stream/);
        await client.waitFor('an event', () => client.events.length > 0);
        expect(client.comments[0]).toBe('connected');
        client.close();
      }
    } finally {
      clearInterval(flood);
    }
  });

  it('sends no forged envelope: none for another organisation than its subject, none whose type would split a frame', async () => {
    const acmeClient = await openStream('/api/stream', acme.tokens.viewer);
    const globexClient = await openStream('/api/stream', globex.tokens.viewer);
    const { events } = natsNames(t.config.nats.prefix);
    const forged = {
      id: randomUUID(),
      type: 'task.created',
      eventType: 'TaskCreated' as const,
      orgId: globex.id,
      taskId: randomUUID(),
      taskType: 'refund.approval',
      revision: 0,
      position: '1',
      occurredAt: new Date().toISOString(),
      actor: 'user:forger',
      correlationId: 'forged',
      data: { forged: true },
    };
    // Only taskinbox's services may publish here; this stands for one of them gone wrong.
    nc.publish(taskEventSubject(events, { ...forged, orgId: acme.id }), JSON.stringify(forged));
    nc.publish(
      taskEventSubject(events, forged),
      JSON.stringify({ ...forged, type: 'task.created\nevent: task.completed\ndata: {"forged":true}\n' }),
    );
    nc.publish(taskEventSubject(events, forged), 'not json');
    await nc.flush();
    // Real events after the forged ones: when these arrive, the forged ones were dealt with.
    const acmeTask = await acme.createTask('refund.approval');
    const globexTask = await globex.createTask('content-flag');
    await acmeClient.waitFor("acme's task", () => acmeClient.events.length > 0);
    await globexClient.waitFor("globex's task", () => globexClient.events.length > 0);
    expect(acmeClient.events.map((event) => [event.event, event.data.taskId])).toEqual([['task.created', acmeTask]]);
    expect(globexClient.events.map((event) => [event.event, event.data.taskId])).toEqual([['task.created', globexTask]]);
    expect(JSON.stringify([acmeClient.events, globexClient.events])).not.toContain('forged');

    const dropped = await register.getSingleMetricAsString('taskinbox_task_events_dropped_total');
    for (const reason of ['subject', 'schema', 'unreadable']) {
      expect(dropped).toMatch(new RegExp(`consumer="live",reason="${reason}"\\} [1-9]`));
    }
  });

  it('refuses callers without valid credentials (401) and API keys, which may see less than people (403)', async () => {
    const anonymous = await call(t.url, 'GET', '/api/stream');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    expect((await call(t.url, 'GET', '/api/stream?access_token=not-a-token')).status).toBe(401);
    expect((await call(t.url, 'GET', '/api/stream', { token: 'tib_not_a_key' })).status).toBe(401);

    const writeOnly = await acme.issueApiKey(['tasks:write']);
    expect((await call(t.url, 'GET', '/api/stream', { token: writeOnly.key })).status).toBe(403);
    expect((await call(t.url, 'GET', '/api/stream', { token: acme.tokens.service })).status).toBe(403);
  });

  it('takes ?access_token= only on the stream, not on other routes', async () => {
    const token = encodeURIComponent(acme.tokens.viewer);
    expect((await call(t.url, 'GET', `/api/auth/me?access_token=${token}`)).status).toBe(401);
    expect((await call(t.url, 'GET', '/api/auth/me', { token: acme.tokens.viewer })).status).toBe(200);
  });

  it('sends heartbeats and unsubscribes from NATS when the client goes away', async () => {
    const feed = t.app.get(TaskEventFeed, { strict: false });
    const subscribe = feed.subscribe.bind(feed);
    let unsubscribed = 0;
    const spy = jest.spyOn(feed, 'subscribe').mockImplementation(async (orgId, onEvent) => {
      const unsubscribe = await subscribe(orgId, onEvent);
      return () => {
        unsubscribed += 1;
        unsubscribe();
      };
    });
    try {
      const client = await openStream('/api/stream', acme.tokens.viewer);
      await client.waitFor('a heartbeat', () => client.comments.includes('heartbeat'));
      expect(unsubscribed).toBe(0);
      client.close();
      await client.waitFor('the subscription to end', () => unsubscribed === 1, 5000);
    } finally {
      spy.mockRestore();
    }
  });

  it("ends a person's open stream when they sign out, are removed or blocked, and lets no one back in with it", async () => {
    const sam = await acme.addUser('member');
    const kim = await acme.addUser('viewer');
    const lee = await acme.addUser('member');
    const samStream = await openStream('/api/stream', sam.token);
    const kimStream = await openStream(`/api/stream?access_token=${encodeURIComponent(kim.token)}`);
    const leeStream = await openStream('/api/stream', lee.token);
    const bystander = await openStream('/api/stream', acme.tokens.viewer);

    expect((await call(t.url, 'POST', '/api/auth/logout', { token: sam.token })).status).toBe(204);
    await samStream.waitFor("sam's stream to end", () => samStream.ended, 5000);
    expect((await call(t.url, 'DELETE', `/api/users/${kim.id}`, { token: acme.tokens.admin })).status).toBe(204);
    await kimStream.waitFor("kim's stream to end", () => kimStream.ended, 5000);
    expect((await call(t.url, 'POST', `/api/users/${lee.id}/block`, { token: acme.tokens.admin })).status).toBe(204);
    await leeStream.waitFor("lee's stream to end", () => leeStream.ended, 5000);

    expect(bystander.ended).toBe(false);
    for (const token of [sam.token, kim.token, lee.token]) expect((await call(t.url, 'GET', '/api/stream', { token })).status).toBe(401);
  });

  // Last: it shuts the application down.
  it('ends open streams when the application shuts down, instead of holding it up', async () => {
    const client = await openStream('/api/stream', acme.tokens.viewer);
    await t.close();
    appClosed = true;
    await client.waitFor('the response to end', () => client.ended, 5000);
  });
});
