import { call, startTestApp, type TestApp, type TestOrganisation } from '@taskinbox/testing';
import { IngestModule } from '../ingest.module';

// Creates check their type from what the process remembers (TaskTypeCatalog): a new version or
// an unknown-types setting must still count at once where it was made, and on every other
// instance as soon as it hears of it.
let first: TestApp;
let second: TestApp;
let acme: TestOrganisation;

beforeAll(async () => {
  first = await startTestApp({ imports: [IngestModule] });
  second = await startTestApp({ imports: [IngestModule], replicaOf: first });
  acme = await first.createOrganisation('acme');
});
afterAll(async () => {
  await second?.close();
  await first?.close();
});

const create = (app: TestApp, type: string, payload: Record<string, unknown>) =>
  call(app.url, 'POST', '/api/tasks', { token: acme.tokens.service, body: { type, title: 'Refund', payload } });

/** Polls until `check` holds; fails after `timeoutMs`. */
async function eventually(timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`still not so after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const refundV1 = { key: 'refund.check', name: 'Refund', schema: { type: 'object', required: ['amount'], properties: { amount: { type: 'number' } } } };
const refundV2 = { name: 'Refund', schema: { ...refundV1.schema, required: ['amount', 'orderId'], properties: { ...refundV1.schema.properties, orderId: { type: 'integer' } } } };

describe('the type a new task is checked against', () => {
  it('is the version just published, on the instance that published it at once and on another soon after', async () => {
    // Both instances have checked (and remember) the type as unregistered.
    expect((await create(first, 'refund.check', {})).status).toBe(201);
    expect((await create(second, 'refund.check', {})).status).toBe(201);

    expect((await call(first.url, 'POST', '/api/task-types', { token: acme.tokens.admin, body: refundV1 })).status).toBe(201);
    expect((await create(first, 'refund.check', {})).status).toBe(400);
    await eventually(5000, async () => (await create(second, 'refund.check', {})).status === 400);
    expect((await create(second, 'refund.check', { amount: 5 })).body.typeVersion).toBe(1);

    expect((await call(second.url, 'POST', '/api/task-types/refund.check/versions', { token: acme.tokens.admin, body: refundV2 })).status).toBe(201);
    expect((await create(second, 'refund.check', { amount: 5 })).status).toBe(400);
    await eventually(5000, async () => (await create(first, 'refund.check', { amount: 5 })).status === 400);
    expect((await create(first, 'refund.check', { amount: 5, orderId: 7 })).body.typeVersion).toBe(2);
  });

  it('follows the organisation refusing unregistered types, on every instance', async () => {
    expect((await create(first, 'never.registered', {})).status).toBe(201);
    expect((await create(second, 'never.registered', {})).status).toBe(201);
    const changed = await call(first.url, 'PUT', '/api/settings/task-types', { token: acme.tokens.admin, body: { unknownTypes: 'refuse' } });
    expect(changed.status).toBe(200);
    expect((await create(first, 'never.registered', {})).status).toBe(400);
    await eventually(5000, async () => (await create(second, 'never.registered', {})).status === 400);
    await call(second.url, 'PUT', '/api/settings/task-types', { token: acme.tokens.admin, body: { unknownTypes: 'accept' } });
    expect((await create(second, 'never.registered', {})).status).toBe(201);
    await eventually(5000, async () => (await create(first, 'never.registered', {})).status === 201);
  });
});
