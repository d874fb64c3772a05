import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { IngestModule } from '@taskinbox/ingest';
import { call, dropQueue, startTestApp, type TestApp, type TestOrganisation } from '@taskinbox/testing';
import { AttachmentsModule } from './attachments.module';
import { csv, pdf, png, previewed, rotatedJpeg, storedFiles, unknownBinary, upload } from './attachments.fixture';

const queueName = `test-attachments-${randomBytes(4).toString('hex')}`;
let t: TestApp;
let acme: TestOrganisation;
let globex: TestOrganisation;

beforeAll(async () => {
  t = await startTestApp({ imports: [IngestModule, AttachmentsModule.forRoot({ queueName })], env: { ATTACHMENTS_MAX_FILE_BYTES: String(10 * 1024 * 1024), WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } });
  [acme, globex] = await Promise.all([t.createOrganisation('acme'), t.createOrganisation('globex')]);
}, 60_000);
afterAll(async () => {
  await t?.close();
  await dropQueue(queueName);
});

const fetchFile = (link: string) => fetch(`${t.url}${link}`);
const eventsOf = async (taskId: string) =>
  (await t.pool.query(`SELECT event_type, data FROM es_events WHERE stream_id = $1 ORDER BY stream_revision`, [`task-${taskId}`])).rows;

describe('uploading through the API', () => {
  it('a JPEG, a PNG, a PDF, a CSV and an unknown binary each get their preview', async () => {
    const taskId = await acme.createTask('refund');
    const files = [
      { name: 'photo.jpg', bytes: await rotatedJpeg(), type: 'image/jpeg', kind: 'image' },
      { name: 'screen.png', bytes: await png(), type: 'image/png', kind: 'image' },
      { name: 'invoice.pdf', bytes: pdf(), type: 'application/pdf', kind: 'image' },
      { name: 'lines.csv', bytes: csv(), type: 'text/csv', kind: 'text' },
      { name: 'blob.bin', bytes: unknownBinary(), type: 'application/octet-stream', kind: 'icon' },
    ];
    const uploaded = [];
    for (const file of files) {
      // The client claims a wrong type every time: the server sniffs.
      const answer = await upload(t, acme.tokens.service, taskId, file.name, file.bytes, 'text/html');
      expect([file.name, answer.status]).toEqual([file.name, 201]);
      expect(answer.body).toMatchObject({ name: file.name, contentType: file.type, sizeBytes: file.bytes.length, via: 'multipart', taskId });
      uploaded.push(answer.body);
    }
    for (const [index, file] of files.entries()) {
      const view = await previewed(t, acme.tokens.member, uploaded[index].id);
      expect([file.name, view.preview]).toEqual([file.name, expect.objectContaining({ status: 'ready', kind: file.kind })]);
    }

    // The JPEG's thumbnail stands upright (EXIF orientation applied) and carries no EXIF.
    const photo = await previewed(t, acme.tokens.member, uploaded[0].id);
    const thumb = await fetchFile(photo.links.thumb);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    const meta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect([meta.width, meta.height, meta.exif, meta.orientation]).toEqual([100, 200, undefined, undefined]);
    const phone = await sharp(Buffer.from(await (await fetchFile(photo.links.phone)).arrayBuffer())).metadata();
    expect(phone.format).toBe('webp');

    const page = await previewed(t, acme.tokens.member, uploaded[2].id);
    expect((await sharp(Buffer.from(await (await fetchFile(page.links.thumb)).arrayBuffer())).metadata()).format).toBe('webp');
    expect((await previewed(t, acme.tokens.member, uploaded[3].id)).preview.text).toBe(csv().toString().trimEnd());
    expect((await previewed(t, acme.tokens.member, uploaded[4].id)).links.thumb).toBeUndefined();

    // The task's history records each attachment as an event, pointing at the API, not at the sender.
    const added = (await eventsOf(taskId)).filter((event) => event.event_type === 'TaskAttachmentAdded');
    expect(added.map((event) => event.data.attachment)).toEqual(
      uploaded.map((view) => ({ id: view.id, name: view.name, url: `/api/attachments/${view.id}`, contentType: view.contentType, sizeBytes: view.sizeBytes, sha256: view.sha256 })),
    );
    const list = await call(t.url, 'GET', `/api/tasks/${taskId}/attachments`, { token: acme.tokens.viewer });
    expect(list.body.map((view: { id: string }) => view.id)).toEqual(uploaded.map((view) => view.id));
  }, 120_000);

  it('the same content twice is stored once for the organisation', async () => {
    const taskId = await acme.createTask('refund');
    const bytes = randomBytes(50_000);
    const first = await upload(t, acme.tokens.member, taskId, 'a.bin', bytes);
    const second = await upload(t, acme.tokens.member, taskId, 'b.bin', bytes);
    expect([first.body.deduplicated, second.body.deduplicated]).toEqual([false, true]);
    expect(second.body.sha256).toBe(first.body.sha256);
    expect((await storedFiles(t)).filter((file) => file === `${acme.id}/${first.body.sha256}`)).toHaveLength(1);
    // Another organisation's same bytes are its own.
    const theirs = await upload(t, globex.tokens.member, await globex.createTask('refund'), 'c.bin', bytes);
    expect(theirs.body.deduplicated).toBe(false);
  });

  it('a 20 MB file over the 10 MiB limit is refused with 413 naming the limit, and nothing is stored', async () => {
    const taskId = await acme.createTask('refund');
    const before = await storedFiles(t);
    const rows = async () => Number((await t.pool.query('SELECT count(*) FROM attachments WHERE task_id = $1', [taskId])).rows[0].count);
    const answer = await upload(t, acme.tokens.service, taskId, 'huge.bin', randomBytes(20 * 1024 * 1024));
    expect(answer.status).toBe(413);
    expect(answer.body.message).toContain('per-file limit of 10 MiB (ATTACHMENTS_MAX_FILE_BYTES = 10485760 bytes)');
    expect(answer.body.details).toEqual({ code: 'attachment_too_large', limit: 'per_file', limitBytes: 10485760 });
    expect(await storedFiles(t)).toEqual(before);
    expect(await rows()).toBe(0);
    expect((await eventsOf(taskId)).map((event) => event.event_type)).toEqual(['TaskCreated']);
  }, 60_000);

  it('a body without a file part is a 400 that says so; JSON elsewhere keeps its 415 for multipart', async () => {
    const taskId = await acme.createTask('refund');
    const form = new FormData();
    form.set('note', 'no file here');
    const response = await fetch(`${t.url}/api/tasks/${taskId}/attachments/upload`, { method: 'POST', headers: { authorization: `Bearer ${acme.tokens.member}` }, body: form });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).message).toContain("multipart field 'file'");
    const elsewhere = await fetch(`${t.url}/api/tasks/${taskId}/comments`, { method: 'POST', headers: { authorization: `Bearer ${acme.tokens.member}` }, body: form });
    expect(elsewhere.status).toBe(415);
  });
});

describe('serving', () => {
  it('a file named .png with an HTML body is served as a download, never rendered', async () => {
    const taskId = await acme.createTask('refund');
    const html = Buffer.from('<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>');
    const answer = await upload(t, acme.tokens.service, taskId, 'cat.png', html, 'image/png');
    expect(answer.body.contentType).toBe('text/html');
    const view = await previewed(t, acme.tokens.member, answer.body.id);
    expect(view.preview.kind).not.toBe('image');
    const file = await fetchFile(view.links.file);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/octet-stream');
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="cat.png"/);
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.headers.get('content-security-policy')).toContain('sandbox');
    expect(Buffer.from(await file.arrayBuffer())).toEqual(html);
  });

  it('images are shown inline; a tampered or foreign link is refused', async () => {
    const taskId = await acme.createTask('refund');
    const answer = await upload(t, acme.tokens.member, taskId, 'shot.png', await png());
    const file = await fetchFile(answer.body.links.file);
    expect([file.status, file.headers.get('content-type'), file.headers.get('content-disposition')]).toEqual([200, 'image/png', expect.stringMatching(/^inline;/)]);
    // Change the signature's first character to a different one (the same one would not tamper).
    const tampered = answer.body.links.file.replace(/signature=(.)/, (_: string, first: string) => `signature=${first === 'A' ? 'B' : 'A'}`);
    expect((await fetchFile(tampered)).status).toBe(403);
    const other = await upload(t, acme.tokens.member, taskId, 'other.png', await sharp({ create: { width: 5, height: 5, channels: 3, background: '#000' } }).png().toBuffer());
    // A signature is for one attachment only.
    const swapped = answer.body.links.file.replace(answer.body.id, other.body.id);
    expect((await fetchFile(swapped)).status).toBe(403);
  });

  it("another organisation's file answers 404, however it is asked for", async () => {
    const taskId = await acme.createTask('refund');
    const mine = await upload(t, acme.tokens.member, taskId, 'secret.png', await png());
    for (const token of [globex.tokens.admin, globex.tokens.service]) {
      expect((await call(t.url, 'GET', `/api/attachments/${mine.body.id}`, { token })).status).toBe(404);
      expect((await call(t.url, 'GET', `/api/tasks/${taskId}/attachments`, { token })).status).toBe(404);
      expect((await upload(t, token, taskId, 'x.png', await png())).status).toBe(404);
    }
  });

  it("a private task's files follow the task: another service of the organisation does not see them", async () => {
    const created = await call(t.url, 'POST', '/api/tasks', { token: acme.tokens.service, body: { type: 'refund', title: 'private one', private: true } });
    const file = await upload(t, acme.tokens.service, created.body.id, 'p.png', await png());
    const reader = await acme.issueApiKey(['tasks:read']);
    expect((await call(t.url, 'GET', `/api/attachments/${file.body.id}`, { token: reader.key })).status).toBe(404);
    expect((await call(t.url, 'GET', `/api/tasks/${created.body.id}/attachments`, { token: reader.key })).status).toBe(404);
    expect((await call(t.url, 'GET', `/api/attachments/${file.body.id}`, { token: acme.tokens.viewer })).status).toBe(200);
  });

  it('erasing on request deletes the bytes and previews and keeps the history', async () => {
    const taskId = await acme.createTask('refund');
    const answer = await upload(t, acme.tokens.member, taskId, 'erase-me.jpg', await rotatedJpeg());
    const view = await previewed(t, acme.tokens.member, answer.body.id);
    expect((await call(t.url, 'DELETE', `/api/attachments/${view.id}/content`, { token: acme.tokens.member })).status).toBe(403);
    const erased = await call(t.url, 'DELETE', `/api/attachments/${view.id}/content`, { token: acme.tokens.admin });
    expect(erased.body).toMatchObject({ id: view.id, erased: true });
    expect(erased.body.links).toBeUndefined();
    expect((await fetchFile(view.links.file)).status).toBe(410);
    expect((await storedFiles(t)).filter((file) => file.includes(view.sha256))).toEqual([]);
    expect((await eventsOf(taskId)).map((event) => event.event_type)).toEqual(['TaskCreated', 'TaskAttachmentAdded']);
  });
});

describe('the OpenAPI document', () => {
  it('describes every attachments route with its success answer and schema', async () => {
    const { body: document } = await call(t.url, 'GET', '/api/docs/openapi.json');
    const routes = Object.entries(document.paths as Record<string, Record<string, { tags?: string[]; responses: Record<string, any> }>>).flatMap(
      ([path, methods]) => Object.entries(methods).filter(([, operation]) => operation.tags?.includes('attachments')).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })),
    );
    expect(routes.map((r) => r.route).sort()).toEqual(
      expect.arrayContaining([
        'DELETE /api/attachments/{id}/content',
        'GET /api/attachments/{id}',
        'GET /api/attachments/{id}/files/{variant}',
        'GET /api/tasks/{id}/attachments',
        'POST /api/tasks/{id}/attachments',
        'POST /api/tasks/{id}/attachments/upload',
        'POST /api/uploads/tus',
        'PATCH /api/uploads/tus/{uploadId}',
      ]),
    );
    for (const { route, operation } of routes) {
      const success = Object.entries(operation.responses).find(([status]) => status.startsWith('2'));
      const content = success?.[1].content ?? {};
      expect([route, Object.values(content).some((media: any) => media.schema)]).toEqual([route, true]);
    }
  });
});
