import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createTaskinboxClient, type Schema } from '@taskinbox/client';
import { call, type TestApp, type TestOrganisation } from '@taskinbox/testing';
import { startOneProcessApp } from './one-process.fixture';

// Issue 17: the committed OpenAPI document (docs/openapi.json, which redocly lints and from
// which libs/client is generated) is the one the app serves, and the generated client works.
jest.setTimeout(120_000);

let t: TestApp;
let org: TestOrganisation;

beforeAll(async () => {
  t = await startOneProcessApp();
  org = await t.createOrganisation('contract');
});
afterAll(() => t?.close());

/** The operations and components that differ between two documents, for a readable failure. */
function differences(served: Record<string, any>, committed: Record<string, any>): string[] {
  const out: string[] = [];
  const compare = (label: string, a: Record<string, unknown> = {}, b: Record<string, unknown> = {}) => {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
      if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) out.push(`${label} ${key}`);
  };
  compare('path', served.paths, committed.paths);
  compare('schema', served.components?.schemas, committed.components?.schemas);
  const { paths: _a, components: _b, ...servedRest } = served;
  const { paths: _c, components: _d, ...committedRest } = committed;
  compare('field', servedRest, committedRest);
  return out;
}

it('serves exactly the committed docs/openapi.json', async () => {
  const served = (await call(t.url, 'GET', '/api/docs/openapi.json')).body;
  const committed = JSON.parse(readFileSync(path.join(__dirname, '../../../docs/openapi.json'), 'utf8'));
  const changed = differences(served, committed);
  if (changed.length > 0) {
    throw new Error(
      `The served OpenAPI document differs from docs/openapi.json in:\n  ${changed.join('\n  ')}\n` +
        'Run `npm run openapi` to regenerate it (and libs/client/src/schema.d.ts), then commit both.',
    );
  }
  expect(served).toEqual(committed);
});

it('creates a task with the generated client and reads it back, typed', async () => {
  const client = createTaskinboxClient(t.url, { token: org.tokens.service });
  const created = await client.POST('/api/tasks', {
    body: { type: 'contract.check', title: 'Refund order 1042', priority: 'high', tags: ['refund'] },
  });
  expect(created.response.status).toBe(201);
  const id = created.data!.id;

  const read = await client.GET('/api/tasks/{id}', { params: { path: { id } } });
  expect(read.response.status).toBe(200);
  // Typed by the document: a wrong field name here fails the type check.
  const task = read.data!;
  expect(task).toMatchObject({ id, taskType: 'contract.check', title: 'Refund order 1042', priority: 'high', status: 'pending', tags: ['refund'] });
  expect(task.allowedActions).toContain('cancel'); // the sender may cancel its task

  // A refusal comes back as the documented error shape.
  const missing = await client.GET('/api/tasks/{id}', { params: { path: { id: '01890a5d-ac96-774b-bcce-b302099a8057' } } });
  expect(missing.response.status).toBe(404);
  const refusal: Schema<'ErrorResponse'> | undefined = missing.error;
  expect(refusal).toMatchObject({ statusCode: 404, error: 'Not Found', correlationId: expect.any(String) });
});
