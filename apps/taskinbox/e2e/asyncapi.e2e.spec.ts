import { Parser, DiagnosticSeverity } from '@asyncapi/parser';
import { connect, credsAuthenticator } from '@nats-io/transport-node';
import { readFileSync } from 'node:fs';
import { testNats, type TestApp } from '@taskinbox/testing';
import { startOneProcessApp } from './one-process.fixture';

let t: TestApp;
let document: { channels: Record<string, { address: string | null }> };

beforeAll(async () => {
  t = await startOneProcessApp({}, { natsQueue: 'ingest' });
  const response = await fetch(`${t.url}/api/docs/asyncapi.json`);
  expect(response.status).toBe(200);
  document = (await response.json()) as typeof document;
}, 120_000);

afterAll(() => t?.close(), 60_000);

/** Whether a NATS subject (with * and > wildcards) is one an address (with {parameters}) allows. */
const covers = (address: string, subject: string): boolean => {
  const a = address.split('.');
  const s = subject.split('.');
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '>') return a.length >= s.length;
    if (a[i] === undefined) return false;
    // The last parameter may hold dots (the task type).
    if (/^\{.+\}$/.test(a[i]) && i === a.length - 1) return true;
    if (s[i] !== '*' && !/^\{.+\}$/.test(a[i]) && a[i] !== s[i]) return false;
    if (s[i] === '*' && !/^\{.+\}$/.test(a[i])) return false;
  }
  return a.length === s.length;
};

it('is a valid AsyncAPI 3 document (no errors, no warnings), without anyone signed in', async () => {
  const { document: parsed, diagnostics } = await new Parser().parse(JSON.stringify(document));
  expect(
    diagnostics
      .filter((d) => d.severity <= DiagnosticSeverity.Warning)
      .map((d) => `${d.code} ${d.path.join('.')}: ${d.message}`),
  ).toEqual([]);
  expect(parsed?.version()).toBe('3.0.0');
});

it('names every subject the server listens on, as NATS itself reports them', async () => {
  // The server's own subscription list, asked as the system user: whatever a module subscribes to shows up.
  const { url, paths } = testNats();
  const system = await connect({
    servers: url,
    authenticator: credsAuthenticator(new TextEncoder().encode(readFileSync(paths.system, 'utf8'))),
  });
  try {
    const reply = await system.request(
      '$SYS.REQ.SERVER.PING.SUBSZ',
      JSON.stringify({ subscriptions: true, limit: 100000 }),
      { timeout: 5000 },
    );
    const { data } = reply.json<{ data: { subscriptions_list?: { subject: string }[] } }>();
    const prefix = t.config.nats.prefix;
    const subjects = [
      ...new Set((data.subscriptions_list ?? []).map((s) => s.subject).filter((s) => s.startsWith(`${prefix}.`))),
    ];
    expect(subjects).toEqual(expect.arrayContaining([`${prefix}.tasks.create`, `${prefix}.tasks.attach`]));
    const addresses = Object.values(document.channels).flatMap((c) => (c.address ? [c.address] : []));
    expect(subjects.filter((subject) => !addresses.some((address) => covers(address, subject)))).toEqual([]);
  } finally {
    await system.close();
  }
});

it('lists every public event type and the body of each command', () => {
  const events = (
    document as unknown as { channels: { taskEvents: { parameters: { eventType: { enum: string[] } } } } }
  ).channels.taskEvents;
  expect(events.parameters.eventType.enum).toEqual(
    expect.arrayContaining(['TaskCreated', 'TaskCompleted', 'SloBurnRateAlerted']),
  );
  const messages = (document as unknown as { components: { messages: Record<string, { payload: { $ref?: string } }> } })
    .components.messages;
  expect(messages['tasks-complete-request'].payload.$ref).toMatch(/^#\/components\/schemas\//);
});
