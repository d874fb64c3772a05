import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { call, type TestApp, type TestOrganisation, undocumentedIn } from '@taskinbox/testing';
import { projected, startOneProcessApp } from './one-process.fixture';

// Issue 12: per-organisation task types with versioned JSON Schemas, payloads checked against the
// version a task records, untrusted schemas hardened, unknown types per setting, and templates.
jest.setTimeout(60_000);

let t: TestApp;
let acme: TestOrganisation;
let globex: TestOrganisation;

beforeAll(async () => {
  t = await startOneProcessApp();
  [acme, globex] = await Promise.all([t.createOrganisation('acme'), t.createOrganisation('globex')]);
});
afterAll(() => t?.close());

const api = (method: string, path: string, token: string, body?: unknown) => call(t.url, method, path, { token, body });
const eventCount = async (): Promise<number> => Number((await t.pool.query('SELECT count(*) AS n FROM es_events')).rows[0].n);
const hours = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 3_600_000;

const refundV1 = {
  key: 'refund.request',
  name: 'Refund request',
  schema: {
    type: 'object',
    required: ['amount'],
    properties: {
      amount: { type: 'number', minimum: 0 },
      email: { type: 'string', format: 'email' },
      items: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string', pattern: '^[A-Z]+$' } } } },
    },
  },
  uiSchema: { amount: { 'ui:widget': 'updown' } },
  layout: [{ field: '/amount', label: 'Amount', format: 'money' }],
  publicFields: ['/amount'],
  defaults: { priority: 'high', tags: ['refund'], dueOffset: 'P2D' },
};

describe('a task type', () => {
  beforeAll(async () => {
    const created = await api('POST', '/api/task-types', acme.tokens.admin, refundV1);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key: 'refund.request', version: 1, layout: refundV1.layout, defaults: refundV1.defaults });
  });

  it('is written by admins only, and is per organisation', async () => {
    expect((await api('POST', '/api/task-types', acme.tokens.member, { ...refundV1, key: 'other' })).status).toBe(403);
    expect((await api('POST', '/api/task-types', acme.tokens.admin, refundV1)).status).toBe(409);
    expect((await api('GET', '/api/task-types/refund.request', globex.tokens.admin)).status).toBe(404);
    const listed = await api('GET', '/api/task-types', acme.tokens.viewer);
    expect(listed.body.map((type: { key: string }) => type.key)).toEqual(['refund.request']);
  });

  it('refuses a bad payload with a 400 naming each JSON path, and writes nothing', async () => {
    const before = await eventCount();
    const bad = await api('POST', '/api/tasks', acme.tokens.service, {
      type: 'refund.request',
      title: 'Refund',
      payload: { email: 'not-an-email', items: [{ sku: 'OK' }, { sku: 'lower' }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((detail: { field: string }) => detail.field).sort()).toEqual(['payload.amount', 'payload.email', 'payload.items[1].sku']);
    expect(bad.body.message).toMatch(/payload\.items\[1\]\.sku/);
    const negative = await api('POST', '/api/tasks', acme.tokens.service, { type: 'refund.request', title: 'Refund', payload: { amount: -5 } });
    expect(negative.body.details).toEqual([{ field: 'payload.amount', in: 'body', problems: ['must be >= 0'] }]);
    expect(await eventCount()).toBe(before);
  });

  it("records its version on the task and fills in the type's defaults", async () => {
    const created = await api('POST', '/api/tasks', acme.tokens.service, { type: 'refund.request', title: 'Refund 7', payload: { amount: 7 } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ typeVersion: 1, priority: 'high', tags: ['refund'] });
    expect(hours(created.body.createdAt, created.body.dueAt)).toBe(48);
    const untyped = await api('POST', '/api/tasks', acme.tokens.service, { type: 'anything.goes', title: 'x' });
    expect(untyped.body.typeVersion).toBeNull();
  });

  it('after a new version, old tasks stay valid under their own version and new tasks follow the new one', async () => {
    const old = await api('POST', '/api/tasks', acme.tokens.service, { type: 'refund.request', title: 'Old', payload: { amount: 3 } });
    const v2 = await api('POST', '/api/task-types/refund.request/versions', acme.tokens.admin, {
      ...refundV1,
      key: undefined,
      schema: { ...refundV1.schema, required: ['amount', 'currency'], properties: { ...refundV1.schema.properties, currency: { enum: ['EUR', 'USD'] } } },
    });
    expect(v2.status).toBe(201);
    expect(v2.body.version).toBe(2);

    expect((await api('POST', '/api/tasks', acme.tokens.service, { type: 'refund.request', title: 'New', payload: { amount: 3 } })).body.details).toEqual([
      expect.objectContaining({ field: 'payload.currency' }),
    ]);
    const fresh = await api('POST', '/api/tasks', acme.tokens.service, { type: 'refund.request', title: 'New', payload: { amount: 3, currency: 'EUR' } });
    expect(fresh.body.typeVersion).toBe(2);

    // The old task keeps version 1; its payload is valid under version 1 (and not under 2).
    const now = await api('GET', `/api/tasks/${old.body.id}`, acme.tokens.viewer);
    expect(now.body.typeVersion).toBe(1);
    const v1 = await api('GET', '/api/task-types/refund.request/versions/1', acme.tokens.viewer);
    const ajv = new Ajv2020({ strict: true });
    addFormats(ajv);
    expect(ajv.validate(v1.body.schema, now.body.payload)).toBe(true);
    expect(ajv.validate(v2.body.schema, now.body.payload)).toBe(false);
    // A task still claims and completes under its own version.
    expect((await api('POST', `/api/inbox/tasks/${old.body.id}/claim`, acme.tokens.member)).status).toBe(200);
    expect((await api('PUT', `/api/inbox/tasks/${old.body.id}`, acme.tokens.member, { status: 'completed' })).status).toBe(200);
    await projected(t);
    const listed = await api('GET', `/api/inbox/tasks?type=refund.request&showCompleted=true`, acme.tokens.viewer);
    expect(listed.body.items.find((task: { id: string }) => task.id === old.body.id).typeVersion).toBe(1);
    // Published versions are immutable.
    await expect(t.pool.query(`UPDATE task_type_versions SET version = version WHERE key = 'refund.request'`)).rejects.toThrow(/immutable/);
  });
});

describe('untrusted schemas', () => {
  it.each([
    ['a remote $ref', { type: 'object', properties: { a: { $ref: 'https://example.com/evil.json' } } }, /only local references/],
    ['$data', { type: 'object', properties: { a: { type: 'number', maximum: { $data: '1/b' } } } }, /\$data is not allowed/],
    ['$id', { $id: 'https://example.com/s', type: 'object' }, /\$id is not allowed/],
    ['an unknown keyword', { type: 'object', colour: 'red' }, /unknown keyword/],
    ['a back-reference (no linear-time engine can run it)', { type: 'string', pattern: '(a)\\1' }, /invalid escape/],
    ['nesting deeper than 24', JSON.parse(`${'{"not":'.repeat(30)}{}${'}'.repeat(30)}`), /nested deeper/],
    ['a schema that is not one', { type: 'object', required: 'amount' }, /must be array/],
  ])('refuses %s with a 400 saying why', async (_, schema, why) => {
    const { status, body } = await api('POST', '/api/task-types', acme.tokens.admin, { key: 'bad.schema', name: 'Bad', schema });
    expect(status).toBe(400);
    expect(body.message).toMatch(why);
  });

  it('runs patterns on a linear-time engine: a catastrophic pattern on a long input answers at once', async () => {
    const created = await api('POST', '/api/task-types', acme.tokens.admin, {
      key: 'redos',
      name: 'ReDoS',
      schema: { type: 'object', properties: { s: { type: 'string', pattern: '^(a+)+$' } } },
    });
    expect(created.status).toBe(201);
    const { status, body } = await api('POST', '/api/tasks', acme.tokens.service, { type: 'redos', title: 'x', payload: { s: `${'a'.repeat(40_000)}!` } });
    expect(status).toBe(400);
    expect(body.details[0].field).toBe('payload.s');
  });
});

describe('unknown types', () => {
  it('are accepted by default and refused when the organisation says so', async () => {
    expect((await api('GET', '/api/settings/task-types', globex.tokens.viewer)).body).toEqual({ unknownTypes: 'accept' });
    expect((await api('POST', '/api/tasks', globex.tokens.service, { type: 'never.registered', title: 'x' })).status).toBe(201);
    expect((await api('PUT', '/api/settings/task-types', globex.tokens.member, { unknownTypes: 'refuse' })).status).toBe(403);
    expect((await api('PUT', '/api/settings/task-types', globex.tokens.admin, { unknownTypes: 'refuse' })).status).toBe(200);
    const refused = await api('POST', '/api/tasks', globex.tokens.service, { type: 'never.registered', title: 'x' });
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual({ code: 'unknown_task_type' });
    // Another organisation's setting is its own.
    expect((await api('POST', '/api/tasks', acme.tokens.service, { type: 'never.registered', title: 'x' })).status).toBe(201);
  });
});

describe('templates', () => {
  it('make a task with their due offset, status, assignees, tags, context, files and the type defaults', async () => {
    const template = await api('POST', '/api/templates', acme.tokens.member, {
      name: 'Refund follow-up',
      type: 'refund.request',
      title: 'Follow up on refund',
      description: 'Call the customer back.',
      status: 'waiting',
      dueOffset: 'P3D',
      assignees: [acme.userIds.member],
      tags: ['follow-up'],
      files: [{ name: 'script.pdf', url: 'https://files.example.com/script.pdf' }],
      customerRef: 'cust-42',
      projectRef: 'proj-7',
      milestoneRef: 'ms-1',
      payload: { amount: 10, currency: 'EUR' },
    });
    expect(template.status).toBe(201);
    expect(template.body.assignees).toEqual([{ kind: 'user', id: acme.userIds.member, name: `member of ${acme.slug}` }]);

    const made = await api('POST', `/api/templates/${template.body.id}/tasks`, acme.tokens.member, { title: 'Follow up on refund 99' });
    expect(made.status).toBe(201);
    expect(undocumentedIn('POST', '/api/templates/{id}/tasks', 201, made.body)).toEqual([]);
    expect(made.body).toMatchObject({
      title: 'Follow up on refund 99',
      description: 'Call the customer back.',
      status: 'waiting',
      typeVersion: 2,
      priority: 'high',
      tags: ['follow-up'],
      customerRef: 'cust-42',
      projectRef: 'proj-7',
      milestoneRef: 'ms-1',
      assignees: [{ kind: 'user', id: acme.userIds.member }],
    });
    expect(hours(made.body.createdAt, made.body.dueAt)).toBe(72);
    await projected(t);
    const timeline = await api('GET', `/api/tasks/${made.body.id}/timeline`, acme.tokens.viewer);
    expect(timeline.body.timeline.map((entry: { eventType: string }) => entry.eventType)).toEqual([
      'TaskCreated',
      'TaskAttachmentAdded',
      'TaskStatusChanged',
    ]);
    const byCustomer = await api('GET', '/api/inbox/tasks?customer=cust-42', acme.tokens.viewer);
    expect(byCustomer.body.items.map((task: { id: string }) => task.id)).toEqual([made.body.id]);
  });

  it('are checked: an unknown assignee is a 400, a missing template a 404, a payload against the type a 400', async () => {
    expect((await api('POST', '/api/templates', acme.tokens.member, { name: 'x', type: 'a', title: 'x', assignees: [globex.userIds.admin] })).status).toBe(400);
    expect((await api('POST', '/api/templates/0190c3a4-1111-7000-8000-000000000001/tasks', acme.tokens.member, {})).status).toBe(404);
    const template = await api('POST', '/api/templates', acme.tokens.admin, { name: 'Bad payload', type: 'refund.request', title: 'x', payload: { amount: 'ten' } });
    const made = await api('POST', `/api/templates/${template.body.id}/tasks`, acme.tokens.member, {});
    expect(made.status).toBe(400);
    expect(made.body.details.map((detail: { field: string }) => detail.field).sort()).toEqual(['payload.amount', 'payload.currency']);
    expect((await api('PATCH', `/api/templates/${template.body.id}`, acme.tokens.admin, { payload: { amount: 1, currency: 'USD' } })).status).toBe(200);
    expect((await api('POST', `/api/templates/${template.body.id}/tasks`, acme.tokens.member, {})).status).toBe(201);
    expect((await api('DELETE', `/api/templates/${template.body.id}`, acme.tokens.admin)).status).toBe(204);
    expect((await api('GET', `/api/templates/${template.body.id}`, acme.tokens.admin)).status).toBe(404);
  });
});
