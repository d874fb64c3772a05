import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { Pool } from 'pg';
import { Deployment } from '../../../tools/chaos/deployment';
import { prepareOrganisation } from '../../../tools/chaos/load';

// The split deployment (needs dist: npm test builds it first) on servers of its own, as the
// chaos run starts it: ingest, relay, webhooks and projector as separate processes exporting
// OTLP/HTTP JSON to a receiver in this test. One task created over HTTP, delivered as a webhook
// to a receiver here, must show as one trace across the four processes. The services batch
// spans for 10 minutes, so every span arrives only when SIGTERM closes them: that is the flush
// at exit working too.
jest.setTimeout(300_000);

interface ExportedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

/** OTLP/HTTP JSON (ExportTraceServiceRequest) as the JavaScript exporter encodes it: hex ids. */
function spansOf(body: string): ExportedSpan[] {
  const request = JSON.parse(body) as {
    resourceSpans: {
      resource: { attributes: { key: string; value: Record<string, unknown> }[] };
      scopeSpans: { spans: (Omit<ExportedSpan, 'service' | 'attributes'> & { attributes?: { key: string; value: Record<string, unknown> }[] })[] }[];
    }[];
  };
  const valueOf = (value: Record<string, unknown>) => {
    const [kind, raw] = Object.entries(value)[0] ?? [];
    if (kind === 'arrayValue') return ((raw as { values?: Record<string, unknown>[] }).values ?? []).map((item) => Object.values(item)[0]);
    return kind === 'intValue' ? Number(raw) : raw;
  };
  const attributes = (list: { key: string; value: Record<string, unknown> }[] = []) =>
    Object.fromEntries(list.map(({ key, value }) => [key, valueOf(value)]));
  return request.resourceSpans.flatMap((resourceSpans) => {
    const service = String(attributes(resourceSpans.resource.attributes)['service.name']);
    return resourceSpans.scopeSpans.flatMap((scope) =>
      scope.spans.map((span) => ({
        service,
        traceId: span.traceId,
        spanId: span.spanId,
        parentSpanId: span.parentSpanId ?? '',
        name: span.name,
        kind: span.kind,
        attributes: attributes(span.attributes),
      })),
    );
  });
}

const exported: ExportedSpan[] = [];
const collectorRequests: { path: string; contentType?: string }[] = [];
const webhooks: { headers: IncomingHttpHeaders; body: string }[] = [];
let collector: Server;
let receiver: Server;
let deployment: Deployment | undefined;
let stopped = false;
let pool: Pool | undefined;

const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
};
const readBody = (request: NodeJS.ReadableStream): Promise<string> =>
  new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}; service logs in ${deployment?.dir}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  collector = createServer(async (request, response) => {
    const body = await readBody(request);
    collectorRequests.push({ path: request.url ?? '', contentType: request.headers['content-type'] });
    if (request.method === 'POST' && request.url === '/v1/traces') exported.push(...spansOf(body));
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  receiver = createServer(async (request, response) => {
    webhooks.push({ headers: request.headers, body: await readBody(request) });
    response.writeHead(204).end();
  });
  const [collectorUrl] = await Promise.all([listen(collector), listen(receiver)]);
  deployment = await Deployment.start({
    replicas: { ingest: 1, query: 0, projector: 1, relay: 1, webhooks: 1 },
    serviceEnv: () => ({ OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl, OTEL_BSP_SCHEDULE_DELAY: '600000' }),
  });
  pool = new Pool({ connectionString: deployment.databaseUrl, max: 1 });
});

afterAll(async () => {
  await pool?.end();
  if (!stopped) await deployment?.stop();
  deployment?.removeLogs();
  await Promise.all([collector, receiver].map((server) => new Promise((resolve) => server?.close(resolve))));
});

it('exports one trace from the HTTP request through ingest, relay, JetStream and webhooks (and the projector), with the correlation id', async () => {
  const live = deployment!;
  const org = await prepareOrganisation(live, 0);
  const endpoint = await fetch(`${live.urls('webhooks')[0]}/api/webhooks/endpoints`, {
    method: 'POST',
    headers: { authorization: `Bearer ${org.admin.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url: `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hooks`, description: 'trace test' }),
  });
  expect(endpoint.status).toBe(201);

  const correlationId = `trace-test-${randomBytes(6).toString('hex')}`;
  const created = await fetch(`${live.urls('ingest')[0]}/api/tasks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${org.serviceKey}`, 'content-type': 'application/json', 'x-correlation-id': correlationId },
    body: JSON.stringify({ type: 'refund.approval', title: 'Refund order 1042' }),
  });
  expect(created.status).toBe(201);
  const taskId = ((await created.json()) as { id: string }).id;

  // The webhook arrives, and the read model shows the task: every service has done its part.
  const delivery = await until('the webhook', () => webhooks.find((hook) => hook.body.includes(taskId)));
  expect(JSON.parse(delivery.body)).toMatchObject({ type: 'task.created', data: { taskId } });
  await until('the read model', async () => ((await pool!.query('SELECT 1 FROM inbox_tasks WHERE task_id = $1', [taskId])).rowCount ? true : undefined));
  // Nothing has been exported yet (the batch delay is 10 minutes); closing the services flushes it all.
  expect(exported.filter((span) => span.attributes['taskinbox.correlation_id'] === correlationId)).toEqual([]);
  await pool!.end();
  pool = undefined;
  await live.stop();
  stopped = true;
  expect(collectorRequests.every((request) => request.path === '/v1/traces' && request.contentType === 'application/json')).toBe(true);

  const request = exported.find((span) => span.name === 'POST /api/tasks' && span.attributes['taskinbox.correlation_id'] === correlationId);
  expect(request).toMatchObject({ service: 'taskinbox-ingest', kind: 2 /* SERVER */, parentSpanId: '' });
  expect(request!.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.route': '/api/tasks', 'http.response.status_code': 201 });
  const trace = exported.filter((span) => span.traceId === request!.traceId);
  const one = (service: string, name: string) => {
    const spans = trace.filter((span) => span.service === service && span.name === name);
    expect({ service, name, count: spans.length }).toEqual({ service, name, count: 1 });
    return spans[0];
  };
  const childOf = (span: ExportedSpan, parent: ExportedSpan) => expect({ name: span.name, parent: span.parentSpanId }).toEqual({ name: span.name, parent: parent.spanId });

  const append = one('taskinbox-ingest', 'event-store append');
  const publish = one('taskinbox-relay', `publish ${live.prefix.toUpperCase()}_EVENTS`);
  const consume = one('taskinbox-webhooks', `process ${live.prefix.toUpperCase()}_EVENTS`);
  const deliver = one('taskinbox-webhooks', 'deliver webhook');
  const post = one('taskinbox-webhooks', 'POST');
  const project = one('taskinbox-projector', 'project event');

  // HTTP → append → (event metadata) relay → (NATS headers) consumer → (job) delivery → POST.
  childOf(append, request!);
  childOf(publish, append);
  childOf(consume, publish);
  childOf(deliver, consume);
  childOf(post, deliver);
  childOf(project, append);
  expect(post.attributes).toMatchObject({ 'http.response.status_code': 204, 'server.address': '127.0.0.1' });
  // The message id is the event id, which the webhook names too.
  expect(publish.attributes).toMatchObject({ 'messaging.system': 'nats', 'messaging.message.id': delivery.headers['webhook-id'] });

  // The correlation id the caller sent is on every span of the chain.
  for (const span of [request!, append, publish, consume, deliver, project]) {
    expect({ name: span.name, correlationId: span.attributes['taskinbox.correlation_id'] }).toEqual({ name: span.name, correlationId });
  }
});
