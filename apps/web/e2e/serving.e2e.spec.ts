import { get as httpGet, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { QueryModule } from '@taskinbox/query';
import { ReadModelsModule } from '@taskinbox/read-models';
import { startTestApp, type TestApp } from '@taskinbox/testing';

// How the server hands out the built SPA (dist/web) beside the API.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ imports: [ReadModelsModule, QueryModule], webApp: true });
});
afterAll(async () => {
  await t?.close();
});

it('serves the app at / and at any deep link, never cached, so a deploy shows at once', async () => {
  for (const path of ['/', '/index.html', '/tasks/0193f1a2-7c3e-7d4a-9c1b-2f4e6a8b0c1d', '/admin/api-keys']) {
    const response = await fetch(`${t.url}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<div id="root"></div>');
  }
});

it('serves hashed assets cacheable for a year', async () => {
  const html = await (await fetch(t.url)).text();
  const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  expect(script).toBeDefined();
  const response = await fetch(`${t.url}${script}`);
  expect(response.status).toBe(200);
  expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
});

it('keeps /api answers JSON: an unknown API path is a JSON 404 with a correlation id, not the app', async () => {
  const response = await fetch(`${t.url}/api/no-such-thing`);
  expect(response.status).toBe(404);
  const body = (await response.json()) as { statusCode: number; correlationId: string };
  expect(body.statusCode).toBe(404);
  expect(body.correlationId).toEqual(expect.any(String));
});

it('answers a missing asset with 404, not the app page', async () => {
  const response = await fetch(`${t.url}/assets/gone-1234.js`);
  expect(response.status).toBe(404);
});

it('sends scripts, styles and the page precompressed: brotli, else gzip, else as they are', async () => {
  const html = await (await fetch(t.url)).text();
  const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1];
  const plain = await get(script, '');
  expect(plain.headers['content-encoding']).toBeUndefined();
  for (const [accept, encoding] of [
    ['gzip, deflate, br', 'br'],
    ['gzip', 'gzip'],
  ] as const) {
    const response = await get(script, accept);
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe(encoding);
    expect(response.headers['vary']).toMatch(/accept-encoding/i);
    expect(response.headers['content-type']).toMatch(/javascript/);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const body = encoding === 'br' ? brotliDecompressSync(response.body) : gunzipSync(response.body);
    expect(body.equals(plain.body)).toBe(true);
    // Compressed for real: the first load of the app is what this saves.
    expect(response.body.length).toBeLessThan(plain.body.length / 2);
  }
  // Files copied from public/ go compressed too (the manifest every page links).
  const manifest = await get('/manifest.webmanifest', 'br');
  expect(manifest.headers['content-encoding']).toBe('br');
  expect(JSON.parse(brotliDecompressSync(manifest.body).toString())).toEqual(JSON.parse((await get('/manifest.webmanifest', '')).body.toString()));
  // The page keeps its own headers when it goes compressed.
  const page = await get('/tasks/0193f1a2-7c3e-7d4a-9c1b-2f4e6a8b0c1d', 'br');
  expect(page.headers['content-encoding']).toBe('br');
  expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(page.headers['cache-control']).toBe('no-cache');
  expect(brotliDecompressSync(page.body).toString()).toContain('<div id="root"></div>');
});

/** A GET with exactly this Accept-Encoding (fetch would add its own and decode the body). */
function get(path: string, acceptEncoding: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const request = httpGet(`${t.url}${path}`, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    request.on('error', reject);
  });
}
