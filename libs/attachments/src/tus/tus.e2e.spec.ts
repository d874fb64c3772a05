import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { IngestModule } from '@taskinbox/ingest';
import { call, dropQueue, startTestApp, type TestApp, type TestOrganisation } from '@taskinbox/testing';
import { AttachmentsModule } from '../attachments.module';
import { storedFiles } from '../attachments.fixture';

const queueName = `test-tus-${randomBytes(4).toString('hex')}`;
let t: TestApp;
let acme: TestOrganisation;
let globex: TestOrganisation;

beforeAll(async () => {
  t = await startTestApp({ imports: [IngestModule, AttachmentsModule.forRoot({ queueName })], env: { ATTACHMENTS_MAX_FILE_BYTES: String(10 * 1024 * 1024) } });
  [acme, globex] = await Promise.all([t.createOrganisation('acme'), t.createOrganisation('globex')]);
}, 60_000);
afterAll(async () => {
  await t?.close();
  await dropQueue(queueName);
});

const b64 = (text: string) => Buffer.from(text).toString('base64');
const tus = (method: string, path: string, token: string, headers: Record<string, string> = {}, body?: Buffer) =>
  fetch(`${t.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0', ...headers }, body: body ? new Uint8Array(body) : undefined });

async function create(token: string, taskId: string, length: number, filename = 'scan.bin'): Promise<Response> {
  return tus('POST', '/api/uploads/tus', token, { 'upload-length': String(length), 'upload-metadata': `taskId ${b64(taskId)},filename ${b64(filename)}` });
}

/** Sends `bytes` as a PATCH from `offset` but drops the connection after `sendFirst` bytes: a phone losing its network. */
function interruptedPatch(location: string, token: string, offset: number, bytes: Buffer, sendFirst: number): Promise<void> {
  return new Promise((resolve) => {
    const request = httpRequest(`${t.url}${location}`, {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${token}`,
        'tus-resumable': '1.0.0',
        'upload-offset': String(offset),
        'content-type': 'application/offset+octet-stream',
        'content-length': String(bytes.length),
      },
    });
    request.on('error', () => resolve());
    request.on('close', () => resolve());
    request.write(bytes.subarray(0, sendFirst), () => setTimeout(() => request.destroy(), 200));
  });
}

async function offsetOf(location: string, token: string): Promise<number> {
  const head = await tus('HEAD', location, token);
  expect(head.status).toBe(200);
  return Number(head.headers.get('upload-offset'));
}

it('an interrupted upload resumes from where the server got to, and the file arrives whole', async () => {
  const taskId = await acme.createTask('claim');
  const bytes = randomBytes(3 * 1024 * 1024);
  const created = await create(acme.tokens.member, taskId, bytes.length);
  expect(created.status).toBe(201);
  const location = created.headers.get('location')!;
  expect(location).toMatch(/^\/api\/uploads\/tus\/[0-9a-f-]{36}$/);

  await interruptedPatch(location, acme.tokens.member, 0, bytes, 1024 * 1024);
  // The server keeps what arrived before the connection dropped; wait until it has said so.
  let offset = 0;
  while ((offset = await offsetOf(location, acme.tokens.member)) === 0) await new Promise((resolve) => setTimeout(resolve, 100));
  expect(offset).toBeGreaterThan(0);
  expect(offset).toBeLessThan(bytes.length);

  const rest = await tus('PATCH', location, acme.tokens.member, { 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' }, bytes.subarray(offset));
  expect(rest.status).toBe(204);
  const attachmentId = rest.headers.get('x-attachment-id');
  const view = await call(t.url, 'GET', `/api/attachments/${attachmentId}`, { token: acme.tokens.viewer });
  expect(view.body).toMatchObject({ taskId, name: 'scan.bin', via: 'tus', sizeBytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  // The staging copy is gone once the file is taken in.
  expect((await storedFiles(t)).filter((file) => file.startsWith('.staging'))).toEqual([]);
}, 60_000);

it('an upload longer than the per-file limit is refused at creation with 413, before any byte is sent', async () => {
  const taskId = await acme.createTask('claim');
  const before = await storedFiles(t);
  const created = await create(acme.tokens.service, taskId, 20 * 1024 * 1024);
  expect(created.status).toBe(413);
  expect(await storedFiles(t)).toEqual(before);
});

it("someone else's upload answers 404; an upload must name a task the caller may see", async () => {
  const taskId = await acme.createTask('claim');
  const created = await create(acme.tokens.member, taskId, 10);
  const location = created.headers.get('location')!;
  expect((await tus('HEAD', location, globex.tokens.member)).status).toBe(404);
  expect((await tus('PATCH', location, acme.tokens.admin, { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }, Buffer.alloc(10))).status).toBe(404);
  expect((await create(globex.tokens.member, taskId, 10)).status).toBe(404);
  const unnamed = await tus('POST', '/api/uploads/tus', acme.tokens.member, { 'upload-length': '10' });
  expect(unnamed.status).toBe(400);
  expect(await unnamed.text()).toContain('taskId');
  expect((await tus('HEAD', location, acme.tokens.viewer)).status).toBe(403);
});
