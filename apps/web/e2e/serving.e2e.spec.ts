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
