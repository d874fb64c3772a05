import { readdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { call, type TestApp } from '@taskinbox/testing';

/** A JPEG 200×100 whose EXIF says "rotate 90°" (orientation 6), with a camera model to strip. */
export const rotatedJpeg = () =>
  sharp({ create: { width: 200, height: 100, channels: 3, background: '#c33' } })
    .jpeg()
    .withMetadata({ orientation: 6, exif: { IFD0: { Model: 'TestCam 3000' } } })
    .toBuffer();

export const png = () => sharp({ create: { width: 64, height: 48, channels: 4, background: '#3c3' } }).png().toBuffer();

/** A one-page PDF by hand (pdftoppm rebuilds the cross-reference table it lacks). */
export const pdf = () =>
  Buffer.from(
    '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
      '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 200]/Contents 4 0 R/Resources<<>>>>endobj\n' +
      '4 0 obj<</Length 44>>stream\n0 0 1 rg 20 20 200 100 re f 1 0 0 rg 50 50 m\nendstream endobj\n' +
      'trailer<</Root 1 0 R>>\n%%EOF\n',
  );

export const csv = () => Buffer.from('invoice,amount,currency\n1001,12.50,EUR\n1002,99.00,EUR\n1003,7.25,EUR\n');

/** Bytes nothing recognises: neither a known format nor text. */
export const unknownBinary = () => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));

/** Uploads `bytes` as multipart field `file` named `name`. */
export async function upload(t: TestApp, token: string, taskId: string, name: string, bytes: Buffer, clientType = 'image/png') {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(bytes)], { type: clientType }), name);
  const response = await fetch(`${t.url}/api/tasks/${taskId}/attachments/upload`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as any, headers: response.headers };
}

/** Polls the attachment until its preview is no longer pending (the job runs off the request path). */
export async function previewed(t: TestApp, token: string, id: string): Promise<any> {
  for (;;) {
    const { status, body } = await call(t.url, 'GET', `/api/attachments/${id}`, { token });
    if (status !== 200) throw new Error(`GET attachment ${id}: ${status} ${JSON.stringify(body)}`);
    if (body.preview.status !== 'pending') return body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every file in the app's attachment directory, staging included. */
export async function storedFiles(t: TestApp): Promise<string[]> {
  const files = await readdir(t.config.attachments.dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return files.filter((entry) => entry.isFile()).map((entry) => path.relative(t.config.attachments.dir, path.join(entry.parentPath, entry.name)));
}
