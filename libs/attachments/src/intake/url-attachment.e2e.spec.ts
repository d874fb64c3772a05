import { headers, type NatsConnection } from '@nats-io/transport-node';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IngestModule, taskSubjects } from '@taskinbox/ingest';
import { call, connectTestNats, dropQueue, issueOutsideCreds, startTestApp, type TestApp, type TestOrganisation } from '@taskinbox/testing';
import { AttachmentsModule } from '../attachments.module';
import { png, previewed, storedFiles } from '../attachments.fixture';

// The sender's file server: this machine, which the app may reach only because the test's
// ATTACHMENTS_FETCH_ALLOWED_HOSTS names 127.0.0.1 (every other private address stays refused).
jest.setTimeout(60_000);

const queueName = `test-url-attachments-${randomBytes(4).toString('hex')}`;
const limitBytes = 1024 * 1024;
let t: TestApp;
let acme: TestOrganisation;
let sender: Server;
let senderUrl: string;
let nc: NatsConnection;
let picture: Buffer;
/** Requests the sender's server saw, by path. */
const seen: string[] = [];

beforeAll(async () => {
  picture = await png();
  sender = createServer((request, response) => {
    seen.push(request.url ?? '');
    switch (request.url) {
      case '/photos/kettle.png':
        // The sender's server lies about the type: the bytes are sniffed.
        response.writeHead(200, { 'content-type': 'text/html', 'content-disposition': 'attachment; filename="cracked-lid.png"' });
        return response.end(picture);
      case '/moved':
        response.writeHead(302, { location: '/photos/kettle.png' });
        return response.end();
      case '/to-metadata':
        response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
        return response.end();
      case '/to-private':
        response.writeHead(301, { location: 'http://10.0.0.7/internal.pdf' });
        return response.end();
      case '/huge-declared':
        response.writeHead(200, { 'content-length': String(limitBytes + 1) });
        return response.end();
      case '/huge-streamed': {
        response.writeHead(200, { 'content-type': 'application/octet-stream' });
        const chunk = Buffer.alloc(64 * 1024, 7);
        let sent = 0;
        const more = () => {
          while (sent <= limitBytes + chunk.length) {
            sent += chunk.length;
            if (!response.write(chunk)) return response.once('drain', more);
          }
          response.end();
        };
        return more();
      }
      case '/stalls':
        response.writeHead(200, { 'content-type': 'application/octet-stream' });
        return response.write(Buffer.alloc(100)); // and never ends
      default:
        response.writeHead(404);
        return response.end('no such file');
    }
  });
  await new Promise<void>((resolve) => sender.listen(0, '127.0.0.1', resolve));
  senderUrl = `http://127.0.0.1:${(sender.address() as AddressInfo).port}`;
  t = await startTestApp({
    imports: [IngestModule, AttachmentsModule.forRoot({ queueName })],
    natsQueue: 'url-attachments',
    env: { ATTACHMENTS_MAX_FILE_BYTES: String(limitBytes), ATTACHMENTS_FETCH_ALLOWED_HOSTS: '127.0.0.1', ATTACHMENTS_FETCH_TIMEOUT_MS: '1500' },
  });
  acme = await t.createOrganisation('acme');
  const creds = await issueOutsideCreds('url-attachments-test', t.config.nats.prefix);
  nc = await connectTestNats({ creds, inboxPrefix: '_INBOX.url-attachments-test' });
});
afterAll(async () => {
  await nc?.close();
  await t?.close();
  await dropQueue(queueName);
  sender?.closeAllConnections();
  await new Promise((resolve) => sender?.close(resolve));
});

const attach = (taskId: string, body: unknown, token = acme.tokens.service) =>
  call(t.url, 'POST', `/api/tasks/${taskId}/attachments`, { token, body });
const eventTypes = async (taskId: string): Promise<string[]> =>
  (await t.pool.query(`SELECT event_type FROM es_events WHERE stream_id = $1 ORDER BY stream_revision`, [`task-${taskId}`])).rows.map(
    (row: { event_type: string }) => row.event_type,
  );
const attachmentRows = async (taskId: string): Promise<number> =>
  Number((await t.pool.query('SELECT count(*) AS n FROM attachments WHERE task_id = $1', [taskId])).rows[0].n);

it('the server fetches the URL once and keeps the bytes; viewers are served by taskinbox, never by the sender', async () => {
  const taskId = await acme.createTask('refund');
  const before = seen.length;
  const answer = await attach(taskId, { url: `${senderUrl}/moved` });
  expect(answer.status).toBe(201);
  expect(answer.body).toMatchObject({
    name: 'cracked-lid.png',
    contentType: 'image/png',
    sizeBytes: picture.length,
    via: 'url',
    sourceUrl: `${senderUrl}/moved`,
    taskId,
  });
  expect(seen.slice(before)).toEqual(['/moved', '/photos/kettle.png']);

  // The task's history points at taskinbox's copy, not at the sender.
  const { rows } = await t.pool.query(`SELECT data FROM es_events WHERE stream_id = $1 AND event_type = 'TaskAttachmentAdded'`, [`task-${taskId}`]);
  expect(rows[0].data.attachment.url).toBe(`/api/attachments/${answer.body.id}`);

  // Opening it, preview included, does not reach the sender again.
  const view = await previewed(t, acme.tokens.viewer, answer.body.id);
  expect(view.preview).toMatchObject({ status: 'ready', kind: 'image' });
  const file = await fetch(`${t.url}${view.links.file}`);
  expect(Buffer.from(await file.arrayBuffer())).toEqual(picture);
  expect(seen.length).toBe(before + 2);
});

it('over NATS, tasks.attach does the same', async () => {
  const taskId = await acme.createTask('refund');
  const h = headers();
  h.set('Authorization', `Bearer ${acme.tokens.service}`);
  const reply = await nc.request(`${t.config.nats.prefix}.${taskSubjects.attach}`, JSON.stringify({ taskId, url: `${senderUrl}/photos/kettle.png`, name: 'lid.png' }), {
    timeout: 10_000,
    headers: h,
  });
  const { response, err } = reply.json<{ response?: any; err?: any }>();
  expect(err).toBeUndefined();
  expect(response).toMatchObject({ name: 'lid.png', contentType: 'image/png', via: 'url', deduplicated: true });
  expect(await eventTypes(taskId)).toEqual(['TaskCreated', 'TaskAttachmentAdded']);
});

describe('refused with a 4xx that says why, and nothing is stored or appended', () => {
  let taskId: string;
  let files: string[];
  beforeEach(async () => {
    taskId = await acme.createTask('refund');
    files = await storedFiles(t);
  });
  afterEach(async () => {
    expect(await eventTypes(taskId)).toEqual(['TaskCreated']);
    expect(await attachmentRows(taskId)).toBe(0);
    expect(await storedFiles(t)).toEqual(files);
  });

  it.each([
    ['a cloud metadata address', 'http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254 is a metadata address/],
    ['a redirect to a metadata address', '/to-metadata', /169\.254\.169\.254 is a metadata address/],
    ['a redirect to a private address', '/to-private', /10\.0\.0\.7 is a private address/],
    ['a file the sender does not have', '/nowhere.pdf', /answered HTTP 404/],
    ['a sender that stalls past the deadline', '/stalls', /took longer than 1500 ms/],
  ])('%s: 422', async (_, path, message) => {
    const answer = await attach(taskId, { url: path.startsWith('http') ? path : `${senderUrl}${path}`, name: 'x' });
    expect([answer.status, answer.body.details]).toEqual([422, { code: 'attachment_fetch_failed' }]);
    expect(answer.body.message).toMatch(message);
  });

  it.each([
    ['declared too large', '/huge-declared'],
    ['streamed past the limit without a length', '/huge-streamed'],
  ])('a file %s: 413 naming the limit', async (_, path) => {
    const answer = await attach(taskId, { url: `${senderUrl}${path}` });
    expect(answer.status).toBe(413);
    expect(answer.body.details).toEqual({ code: 'attachment_too_large', limit: 'per_file', limitBytes });
  });

  it('not a URL, or not http(s): 400 naming the field, nothing fetched', async () => {
    const before = seen.length;
    for (const url of ['file:///etc/passwd', 'gopher://127.0.0.1/', 'not a url']) {
      const answer = await attach(taskId, { url });
      expect([url, answer.status]).toEqual([url, 400]);
      expect(answer.body.message).toMatch(/url/);
    }
    expect(seen.length).toBe(before);
  });

  it("a viewer may not attach, and another organisation's task is not found (nothing fetched for either)", async () => {
    const before = seen.length;
    expect((await attach(taskId, { url: `${senderUrl}/photos/kettle.png` }, acme.tokens.viewer)).status).toBe(403);
    const globex = await t.createOrganisation('globex');
    expect((await attach(taskId, { url: `${senderUrl}/photos/kettle.png` }, globex.tokens.service)).status).toBe(404);
    expect(seen.length).toBe(before);
  });
});
