import { execFileSync } from 'node:child_process';
import { createDecipheriv, createECDH, type ECDH, hkdfSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type AddressInfo } from 'node:net';
import { Agent, createServer, type Server } from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import webpush from 'web-push';
import { OncallModule, type Clock } from '@taskinbox/oncall';
import { call, dropQueue, startTestApp, type TestApp, type TestOrganisation } from '@taskinbox/testing';
import { NotificationsModule } from './notifications.module';

// Notifications end to end, against real PostgreSQL and Redis: a push message reaches a local
// RFC 8030 push service and is decrypted here with the subscription's own keys (RFC 8291), quiet
// hours hold back a normal notification but not an urgent one (clock injected), a push service
// answering 410 loses its subscription, and an e-mail with a working link reaches a local SMTP server.
jest.setTimeout(90_000);

class TestClock implements Clock {
  at = new Date('2026-03-09T12:00:00Z');
  now = () => new Date(this.at);
}

interface PushRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A browser's push subscription: its own P-256 key pair and auth secret, as PushManager makes them. */
class Browser {
  readonly ecdh: ECDH = createECDH('prime256v1');
  readonly auth = randomBytes(16);
  constructor(readonly endpoint: string) {
    this.ecdh.generateKeys();
  }

  get subscription() {
    return { endpoint: this.endpoint, keys: { p256dh: this.ecdh.getPublicKey().toString('base64url'), auth: this.auth.toString('base64url') } };
  }

  /** RFC 8291 aes128gcm, by hand with node:crypto: one record, padding delimiter 2. */
  decrypt(body: Buffer): unknown {
    const salt = body.subarray(0, 16);
    const recordSize = body.readUInt32BE(16);
    const keyIdLength = body[20];
    const serverKey = body.subarray(21, 21 + keyIdLength);
    const record = body.subarray(21 + keyIdLength);
    expect(keyIdLength).toBe(65);
    expect(record.length).toBeLessThanOrEqual(recordSize);
    const shared = this.ecdh.computeSecret(serverKey);
    const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), this.ecdh.getPublicKey(), serverKey]);
    const ikm = Buffer.from(hkdfSync('sha256', shared, this.auth, keyInfo, 32));
    const key = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
    const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
    const decipher = createDecipheriv('aes-128-gcm', key, nonce);
    decipher.setAuthTag(record.subarray(record.length - 16));
    const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
    let end = padded.length - 1;
    while (padded[end] === 0) end--;
    expect(padded[end]).toBe(2);
    return JSON.parse(padded.subarray(0, end).toString('utf8'));
  }
}

const clock = new TestClock();
const queueName = `notifications-${randomBytes(4).toString('hex')}`;
const vapid = webpush.generateVAPIDKeys();
const certDir = mkdtempSync(path.join(os.tmpdir(), 'push-service-'));
const received: PushRequest[] = [];
const mails: { to: string; text: string }[] = [];
let pushService: Server;
let pushUrl: string;
let smtp: SMTPServer;
let app: TestApp;
let acme: TestOrganisation;

async function freePort(): Promise<number> {
  const server = createHttpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', path.join(certDir, 'key.pem'), '-out', path.join(certDir, 'cert.pem'),
  ], { stdio: 'ignore' });
  const cert = readFileSync(path.join(certDir, 'cert.pem'));
  // The push service: 410 for /push/gone (an unsubscribed browser), 201 Created for the rest.
  pushService = createServer({ key: readFileSync(path.join(certDir, 'key.pem')), cert }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks) });
      response.writeHead(request.url === '/push/gone' ? 410 : 201).end();
    });
  });
  await new Promise<void>((resolve) => pushService.listen(0, '127.0.0.1', resolve));
  pushUrl = `https://127.0.0.1:${(pushService.address() as AddressInfo).port}`;

  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address).join(','), text: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  // The app's own port is chosen here so that PUBLIC_URL, and so the e-mailed link, reaches it.
  const port = await freePort();
  app = await startTestApp({
    imports: [
      OncallModule.forRoot({ clock }),
      NotificationsModule.forRoot({ clock, queueName, sweepIntervalMs: 200, digestEveryMs: 1000, pushAgent: new Agent({ ca: cert }) }),
    ],
    webApp: true,
    env: {
      HTTP_PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      VAPID_SUBJECT: 'mailto:ops@acme.test',
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    },
  });
  acme = await app.createOrganisation('acme');
});

afterAll(async () => {
  await app?.close();
  await new Promise((resolve) => pushService?.close(resolve));
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  await dropQueue(queueName);
  rmSync(certDir, { recursive: true, force: true });
});

async function createTask(title: string, priority = 'normal'): Promise<string> {
  const created = await call(app.url, 'POST', '/api/tasks', { token: acme.tokens.service, body: { type: 'refund', title, priority } });
  expect(created.status).toBe(201);
  return created.body.id;
}

async function assign(taskId: string, userId: string): Promise<void> {
  const assigned = await call(app.url, 'POST', `/api/tasks/${taskId}/assignees`, {
    token: acme.tokens.admin,
    body: { kind: 'user', id: userId },
  });
  expect(assigned.status).toBeLessThan(300);
}

const topicOf = (taskId: string) => taskId.replace(/-/g, '');
const pushesFor = (browser: Browser, taskId: string) =>
  received.filter((request) => request.path === new URL(browser.endpoint).pathname && request.headers.topic === topicOf(taskId));

async function subscribe(token: string, browser: Browser): Promise<void> {
  const registered = await call(app.url, 'POST', '/api/notifications/push/subscriptions', { token, body: browser.subscription });
  expect(registered.status).toBe(201);
}

describe('notifications', () => {
  it('pushes an assignment to the person’s browser, encrypted for it, and lists it in the app until read', async () => {
    const ann = await acme.addUser('member');
    const browser = new Browser(`${pushUrl}/push/ann`);
    expect((await call(app.url, 'GET', '/api/notifications/push/key', { token: ann.token })).body).toEqual({ publicKey: vapid.publicKey });
    await subscribe(ann.token, browser);

    const taskId = await createTask('Refund order 1042');
    await assign(taskId, ann.id);
    const [push] = await eventually('the push', () => pushesFor(browser, taskId)[0] && pushesFor(browser, taskId));
    expect(push.headers).toMatchObject({ 'content-encoding': 'aes128gcm', urgency: 'normal', ttl: '86400', topic: topicOf(taskId) });
    // RFC 8292: a JWT for this push service's origin, signed with the server's VAPID key.
    const authorization = String(push.headers.authorization);
    expect(authorization).toMatch(/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=/);
    expect(authorization).toContain(`k=${vapid.publicKey}`);
    const claims = JSON.parse(Buffer.from(authorization.slice(8).split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ aud: pushUrl, sub: 'mailto:ops@acme.test' });

    const message = browser.decrypt(push.body) as Record<string, string>;
    expect(message).toMatchObject({ title: 'Assigned to you: Refund order 1042', url: `/tasks/${taskId}`, topic: topicOf(taskId) });

    const listed = await call(app.url, 'GET', '/api/notifications', { token: ann.token });
    expect(listed.status).toBe(200);
    expect(listed.body.unread).toBe(1);
    expect(listed.body.items[0]).toMatchObject({ taskId, kind: 'assigned', link: `/tasks/${taskId}`, readAt: null, pushedAt: expect.any(String) });
    const read = await call(app.url, 'POST', `/api/notifications/${listed.body.items[0].id}/read`, { token: ann.token });
    expect(read.status).toBe(200);
    expect(read.body.readAt).toEqual(expect.any(String));
    expect((await call(app.url, 'GET', '/api/notifications?unread=true', { token: ann.token })).body).toEqual({ unread: 0, items: [] });
    // Someone else's notification is not found.
    expect((await call(app.url, 'POST', `/api/notifications/${listed.body.items[0].id}/read`, { token: acme.tokens.member })).status).toBe(404);
  });

  it('holds back a normal notification in quiet hours but lets an urgent one through', async () => {
    const bob = await acme.addUser('member');
    const browser = new Browser(`${pushUrl}/push/bob`);
    await subscribe(bob.token, browser);
    const saved = await call(app.url, 'PUT', '/api/notifications/preferences', {
      token: bob.token,
      body: {
        timeZone: 'Europe/Berlin',
        channels: { low: ['digest'], normal: ['push'], high: ['push'], urgent: ['push'] },
        quietHours: { start: '22:00', end: '07:00' },
      },
    });
    expect(saved.status).toBe(200);
    clock.at = new Date('2026-03-09T22:30:00Z'); // 23:30 in Berlin

    const normal = await createTask('Refund order 2001');
    await assign(normal, bob.id);
    const held = await eventually('the hold', async () => {
      const { body } = await call(app.url, 'GET', '/api/notifications', { token: bob.token });
      return body.items.find((item: any) => item.taskId === normal && item.heldUntil);
    });
    expect(held.heldUntil).toBe('2026-03-10T06:00:00.000Z'); // 07:00 in Berlin

    const urgent = await createTask('Chargeback about to expire', 'urgent');
    await assign(urgent, bob.id);
    const [push] = await eventually('the urgent push', () => pushesFor(browser, urgent)[0] && pushesFor(browser, urgent));
    expect(push.headers.urgency).toBe('high');
    expect(browser.decrypt(push.body)).toMatchObject({ url: `/tasks/${urgent}` });
    expect(pushesFor(browser, normal)).toEqual([]);

    // At 07:01 the quiet hours are over: the sweep delivers what they held.
    clock.at = new Date('2026-03-10T06:01:00Z');
    await eventually('the held push', () => pushesFor(browser, normal)[0]);
    clock.at = new Date('2026-03-09T12:00:00Z');
  });

  it('drops a subscription whose push service answers 410 Gone', async () => {
    const carl = await acme.addUser('member');
    const gone = new Browser(`${pushUrl}/push/gone`);
    await subscribe(carl.token, gone);
    const taskId = await createTask('Refund order 3003');
    await assign(taskId, carl.id);
    await eventually('the 410', () => pushesFor(gone, taskId)[0]);
    await eventually('the subscription to go', async () => {
      const { rows } = await app.pool.query('SELECT 1 FROM push_subscriptions WHERE endpoint = $1', [gone.endpoint]);
      return rows.length === 0 ? true : undefined;
    });
    expect((await call(app.url, 'DELETE', `/api/notifications/push/subscriptions?endpoint=${encodeURIComponent(gone.endpoint)}`, { token: carl.token })).status).toBe(404);
  });

  it('e-mails a person who asked for e-mail, with a link that opens the task', async () => {
    const dora = await acme.addUser('member');
    await call(app.url, 'PUT', '/api/notifications/preferences', {
      token: dora.token,
      body: { timeZone: 'UTC', channels: { low: [], normal: ['email'], high: ['email'], urgent: ['email'] }, quietHours: null },
    });
    const taskId = await createTask('Refund order 4004');
    await assign(taskId, dora.id);
    const mail = await eventually('the e-mail', () => mails.find((candidate) => candidate.to === dora.email));
    expect(mail.text).toContain('Subject: Assigned to you: Refund order 4004');
    const link = /Open: (\S+)/.exec(mail.text.replace(/=\r?\n/g, ''))?.[1];
    expect(link).toBe(`${app.config.publicUrl}/tasks/${taskId}`);
    const page = await fetch(link!);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('gathers low-urgency notifications into the digest e-mail, sent by the repeatable job', async () => {
    const eve = await acme.addUser('member');
    const taskId = await createTask('Tidy the refund notes', 'low');
    await assign(taskId, eve.id);
    const digest = await eventually('the digest', () => mails.find((candidate) => candidate.to === eve.email));
    expect(digest.text).toContain('Subject: Digest: Assigned to you: Tidy the refund notes');
    expect(digest.text.replace(/=\r?\n/g, '')).toContain(`${app.config.publicUrl}/tasks/${taskId}`);
    const { body } = await call(app.url, 'GET', '/api/notifications', { token: eve.token });
    expect(body.items[0]).toMatchObject({ taskId, urgency: 'low', pushedAt: null, emailedAt: expect.any(String) });
  });

  it('refuses hostile subscriptions and preferences with 4xx, and API keys', async () => {
    const token = acme.tokens.member;
    for (const body of [
      { endpoint: 'http://127.0.0.1/push', keys: new Browser('x').subscription.keys },
      { endpoint: 'https://169.254.169.254/latest', keys: new Browser('x').subscription.keys },
      { endpoint: `${pushUrl}/push/x`, keys: { p256dh: 'short', auth: 'x' } },
      { endpoint: `${pushUrl}/push/x` },
      { endpoint: `${pushUrl}/push/x`, keys: 'k' },
    ]) {
      const answer = await call(app.url, 'POST', '/api/notifications/push/subscriptions', { token, body });
      expect([answer.status, answer.body.message]).toEqual([400, expect.any(String)]);
    }
    for (const body of [
      { timeZone: 'Mars/Olympus', channels: { low: [], normal: [], high: [], urgent: [] }, quietHours: null },
      { timeZone: 'UTC', channels: { low: ['pager'], normal: [], high: [], urgent: [] }, quietHours: null },
      { timeZone: 'UTC', quietHours: null },
      { timeZone: 'UTC', channels: { low: [] }, quietHours: 'night' },
      { timeZone: 'UTC', channels: { low: [], normal: [], high: [], urgent: [] }, quietHours: { start: '25:00', end: '07:00' } },
    ]) {
      expect((await call(app.url, 'PUT', '/api/notifications/preferences', { token, body })).status).toBe(400);
    }
    expect((await call(app.url, 'GET', '/api/notifications', { token: acme.tokens.service })).status).toBe(403);
  });
});
