import { DataSource } from 'typeorm';
import { ReadModelsModule } from '@taskinbox/read-models';
import { call, startTestApp, type TestApp, type TestOrganisation } from '@taskinbox/testing';
import { QueryModule } from '../query.module';
import { type SeededTask, seedTask, serviceActor } from '../tasks/read-models.fixture';

// Starting the app and seeding take seconds on a busy 2-core machine; the 5 s default failed there.
jest.setTimeout(30_000);

let t: TestApp;
let db: DataSource;
let acme: TestOrganisation;
let globex: TestOrganisation;
let adminEmail: string;

// A fixed history of acme's inbox, named for what each task is there to show.
const tasks: Record<string, SeededTask> = {};

beforeAll(async () => {
  t = await startTestApp({ imports: [ReadModelsModule, QueryModule] });
  db = t.app.get(DataSource);
  [acme, globex] = await Promise.all([t.createOrganisation('acme'), t.createOrganisation('globex')]);
  adminEmail = (await t.pool.query('SELECT email FROM users WHERE id = $1', [acme.userIds.admin])).rows[0].email;
  const ours = serviceActor(acme.serviceId);
  const seeds = {
    refund: {
      createdAt: '2026-01-01T10:00:00.000000Z',
      title: 'Refund order 1042',
      tags: ['refund'],
      assignees: [acme.userIds.member],
      customerRef: 'ACME-42',
      projectRef: 'shop',
      dueAt: '2026-03-01T12:00:00Z',
      source: ours,
    },
    flag: {
      createdAt: '2026-01-01T09:00:00.000000Z',
      type: 'content.flag',
      title: 'Flagged comment on post 7',
      status: 'processing' as const,
      processedBy: acme.userIds.admin,
      dueAt: '2026-02-01T12:00:00Z',
    },
    waiting: {
      createdAt: '2026-01-02T08:00:00.000000Z',
      title: 'Refund order 2001 for a VIP customer',
      status: 'waiting' as const,
      processedBy: acme.userIds.member,
      tags: ['refund', 'vip'],
      assignees: [adminEmail],
      customerRef: 'ACME-42',
    },
    done: {
      createdAt: '2025-12-01T08:00:00.000000Z',
      status: 'completed' as const,
      resolution: 'accepted',
      processedBy: acme.userIds.admin,
    },
    cancelled: { createdAt: '2025-11-01T08:00:00.000000Z', status: 'cancelled' as const },
    // Same created_at as `refund`: the task id breaks the tie.
    privateOurs: {
      createdAt: '2026-01-01T10:00:00.000000Z',
      title: 'Private from our service',
      private: true,
      source: ours,
    },
    privateTheirs: { createdAt: '2026-01-03T08:00:00.000000Z', title: 'Private from another service', private: true },
    // One microsecond apart: pages must not lose or repeat either at a page edge.
    tickA: { createdAt: '2026-01-05T00:00:00.000001Z', title: 'Tick A' },
    tickB: { createdAt: '2026-01-05T00:00:00.000002Z', title: 'Tick B' },
  };
  for (const [name, seed] of Object.entries(seeds)) tasks[name] = await seedTask(db, { orgId: acme.id, ...seed });
  tasks.globex = await seedTask(db, {
    orgId: globex.id,
    createdAt: '2026-01-01T00:00:00Z',
    title: 'Globex refund 1042',
  });
});
afterAll(() => t?.close());

const list = (path: string, token = acme.tokens.member) => call(t.url, 'GET', `/api/inbox/tasks${path}`, { token });
const ids = (body: { items: { id: string }[] }): string[] => body.items.map((item) => item.id);
const queueOrder = (a: SeededTask, b: SeededTask): number =>
  a.statusRank - b.statusRank || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
const expected = (...names: string[]): string[] =>
  names
    .map((name) => tasks[name])
    .sort(queueOrder)
    .map((task) => task.id);
const unfinished = ['refund', 'flag', 'waiting', 'privateOurs', 'privateTheirs', 'tickA', 'tickB'];
const everything = [...unfinished, 'done', 'cancelled'];

describe('the shared queue', () => {
  it('shows everyone in the organisation the same list: unfinished first, then oldest first, finished hidden', async () => {
    const answers = await Promise.all(
      [acme.tokens.admin, acme.tokens.member, acme.tokens.viewer].map((token) => list('', token)),
    );
    for (const { status, body } of answers) {
      expect(status).toBe(200);
      expect(ids(body)).toEqual(expected(...unfinished));
      expect(body.nextCursor).toBeNull();
    }
    // pending (oldest first, id breaking the tie) before processing before waiting
    expect(answers[0].body.items.map((item: { status: string }) => item.status)).toEqual([
      'pending',
      'pending',
      'pending',
      'pending',
      'pending',
      'processing',
      'waiting',
    ]);
  });

  it('describes each task with what a list needs and the version to wait for', async () => {
    const { body } = await list('?type=content.flag');
    expect(body.items).toEqual([
      expect.objectContaining({
        id: tasks.flag.id,
        type: 'content.flag',
        title: 'Flagged comment on post 7',
        status: 'processing',
        processedBy: acme.userIds.admin,
        dueAt: '2026-02-01T12:00:00.000Z',
        createdAt: '2026-01-01T09:00:00.000Z',
        version: 0,
        tags: [],
        private: false,
      }),
    ]);
    expect(body.items[0]).not.toHaveProperty('state');
  });

  it("carries the read models' log position with its rows (the live stream's ready event is compared with it), null on an empty page", async () => {
    const position = '00000000000000000042:00000000000000000007';
    await t.pool.query(
      `INSERT INTO projection_checkpoints (name, position) VALUES ('read-models', $1)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
      [position],
    );
    expect((await list('')).body.position).toBe(position);
    expect((await list('?type=no.such.type')).body).toMatchObject({ items: [], position: null });
  });

  it('includes finished tasks when asked, in the same order', async () => {
    const { body } = await list('?showCompleted=true');
    expect(ids(body)).toEqual(expected(...everything));
  });

  it('never shows another organisation its rows', async () => {
    const ours = await list('?showCompleted=true&q=refund');
    expect(ids(ours.body)).not.toContain(tasks.globex.id);
    const theirs = await list('?showCompleted=true', globex.tokens.admin);
    expect(ids(theirs.body)).toEqual([tasks.globex.id]);
  });
});

describe('compression', () => {
  const list = (encoding: string) =>
    fetch(`${t.url}/api/inbox/tasks?showCompleted=true`, {
      headers: { authorization: `Bearer ${acme.tokens.member}`, 'accept-encoding': encoding },
    });

  it('sends a list brotli-compressed to a client that accepts it, and as it is to one that does not', async () => {
    const [plain, brotli] = await Promise.all([list('identity'), list('br, gzip')]);
    expect([plain.status, brotli.status]).toEqual([200, 200]);
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(brotli.headers.get('content-encoding')).toBe('br');
    expect(brotli.headers.get('vary')).toMatch(/accept-encoding/i);
    const [plainBody, brotliBody] = [await plain.text(), await brotli.text()];
    expect(plainBody.length).toBeGreaterThan(1024);
    expect(JSON.parse(brotliBody)).toEqual(JSON.parse(plainBody));
  });

  it('reads a request body as sent: a gzip-compressed one is refused, not inflated', async () => {
    const { gzipSync } = await import('node:zlib');
    const response = await fetch(`${t.url}/api/inbox/tasks/00000000-0000-4000-8000-000000000000/claim`, {
      method: 'POST',
      headers: { authorization: `Bearer ${acme.tokens.member}`, 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify({})),
    });
    expect(response.status).toBe(400);
  });
});

describe('filters', () => {
  it.each([
    ['status=pending', ['refund', 'privateOurs', 'privateTheirs', 'tickA', 'tickB']],
    ['status=pending&status=waiting', ['refund', 'privateOurs', 'privateTheirs', 'tickA', 'tickB', 'waiting']],
    ['status=processing,waiting', ['flag', 'waiting']],
    ['status=completed,cancelled', ['done', 'cancelled']],
    ['status=completed&showCompleted=false', ['done']],
    ['type=content.flag', ['flag']],
    ['tag=vip', ['waiting']],
    ['tag=refund', ['refund', 'waiting']],
    ['dueFrom=2026-02-01T00:00:00Z&dueTo=2026-02-02T00:00:00Z', ['flag']],
    ['dueFrom=2026-02-01T12:00:00Z', ['flag', 'refund']],
    ['dueTo=2026-02-01T12:00:00%2B00:00', []],
    ['q=flagged', ['flag']],
    ['q=flag', ['flag']], // the last word matches as a prefix: 'flag' finds 'flagged'
    ['q=flag%20', []], // a finished word matches only itself
    ['q=order', ['refund', 'waiting']],
    ['q=%22order%201042%22', ['refund']],
    ['q=refund%20-vip', ['refund']],
    ['q=private%20or%20flagged', ['flag', 'privateOurs', 'privateTheirs']],
    ['q=nothing-like-this', []],
    ['type=refund.approval&tag=refund&status=pending', ['refund']],
    ['customer=ACME-42', ['refund', 'waiting']],
    ['customer=ACME-4', []], // exactly, not a prefix
    ['customer=ACME-42&project=shop', ['refund']],
    ['project=shop&status=waiting', []],
  ])('%s', async (query, names) => {
    const { status, body } = await list(`?${query}`);
    expect(status).toBe(200);
    expect(ids(body)).toEqual(expected(...names));
  });

  it('assignee matches a suggested owner as the sender named them', async () => {
    expect(ids((await list(`?assignee=${acme.userIds.member}`)).body)).toEqual([tasks.refund.id]);
    expect(ids((await list(`?assignee=${encodeURIComponent(adminEmail)}`)).body)).toEqual([tasks.waiting.id]);
  });

  it("claimer=me is the caller's claimed tasks; claimer=<id> someone else's", async () => {
    expect(ids((await list('?claimer=me', acme.tokens.admin)).body)).toEqual([tasks.flag.id]);
    expect(ids((await list('?claimer=me&showCompleted=true', acme.tokens.admin)).body)).toEqual(
      expected('flag', 'done'),
    );
    expect(ids((await list('?claimer=me', acme.tokens.member)).body)).toEqual([tasks.waiting.id]);
    expect(ids((await list(`?claimer=${acme.userIds.admin}`, acme.tokens.viewer)).body)).toEqual([tasks.flag.id]);
    expect(ids((await list('?claimer=me', acme.tokens.viewer)).body)).toEqual([]);
  });

  it('assignedToMe matches the caller by user id or by e-mail', async () => {
    expect(ids((await list('?assignedToMe=true', acme.tokens.member)).body)).toEqual([tasks.refund.id]);
    expect(ids((await list('?assignedToMe=true', acme.tokens.admin)).body)).toEqual([tasks.waiting.id]);
    expect(ids((await list('?assignedToMe=false', acme.tokens.admin)).body)).toEqual(expected(...unfinished));
  });
});

describe('private tasks', () => {
  it('are listed for every user of the organisation', async () => {
    const { body } = await list('?q=private', acme.tokens.viewer);
    expect(ids(body)).toEqual(expected('privateOurs', 'privateTheirs'));
  });

  it('are listed for the service that sent them, but not for other API keys', async () => {
    expect(ids((await list('?q=private', acme.tokens.service)).body)).toEqual([tasks.privateOurs.id]);
    const reader = await acme.issueApiKey(['tasks:read']);
    const { status, body } = await list('', reader.key);
    expect(status).toBe(200);
    expect(ids(body)).toEqual(expected(...unfinished.filter((name) => !name.startsWith('private'))));
  });
});

describe('cursor pagination', () => {
  const everyPage = async (query: string, limit: number): Promise<string[][]> => {
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const after: string = cursor ? `&cursor=${cursor}` : '';
      const { status, body } = await list(`?limit=${limit}${query}${after}`);
      expect(status).toBe(200);
      expect(body.items.length).toBeLessThanOrEqual(limit);
      pages.push(ids(body));
      cursor = body.nextCursor;
    } while (cursor);
    return pages;
  };

  it.each([1, 2, 3, 4, 8, 9, 50])('pages of %i cover every task exactly once, in queue order', async (limit) => {
    const pages = await everyPage('&showCompleted=true', limit);
    expect(pages.flat()).toEqual(expected(...everything));
    expect(pages.length).toBe(Math.max(1, Math.ceil(everything.length / limit)));
  });

  it('keeps the filters on every page', async () => {
    expect((await everyPage('&status=pending', 2)).flat()).toEqual(
      expected('refund', 'privateOurs', 'privateTheirs', 'tickA', 'tickB'),
    );
  });

  it('defaults to 50 per page and refuses more than 200', async () => {
    for (let index = 0; index < 52; index++) {
      await seedTask(db, { orgId: globex.id, createdAt: `2026-02-01T00:00:${String(index).padStart(2, '0')}Z` });
    }
    const first = await list('', globex.tokens.member);
    expect(first.body.items).toHaveLength(50);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const rest = await list(`?cursor=${first.body.nextCursor}`, globex.tokens.member);
    expect(rest.body.items).toHaveLength(3);
    expect(rest.body.nextCursor).toBeNull();
    expect((await list('?limit=200', globex.tokens.member)).body.items).toHaveLength(53);
  });
});

describe('refusals', () => {
  it.each([
    ['status=bogus', 'status'],
    ['status=', 'status'],
    ['limit=0', 'limit'],
    ['limit=201', 'limit'],
    ['limit=ten', 'limit'],
    ['cursor=not-a-cursor', 'cursor'],
    [
      `cursor=${Buffer.from(JSON.stringify({ r: 9, c: '2026-01-01T00:00:00.000000Z', i: '0193f1a2-7c3e-7d4a-9c1b-2f4e6a8b0c1d' })).toString('base64url')}`,
      'cursor',
    ],
    [
      `cursor=${Buffer.from(JSON.stringify({ r: 0, c: '2026-02-30T00:00:00.000000Z', i: '0193f1a2-7c3e-7d4a-9c1b-2f4e6a8b0c1d' })).toString('base64url')}`,
      'cursor',
    ],
    [
      `cursor=${Buffer.from(JSON.stringify({ r: 0, c: '0000-01-01T00:00:00.000000Z', i: '0193f1a2-7c3e-7d4a-9c1b-2f4e6a8b0c1d' })).toString('base64url')}`,
      'cursor',
    ],
    ['showCompleted=maybe', 'showCompleted'],
    ['assignedToMe=yes', 'assignedToMe'],
    ['dueFrom=tomorrow', 'dueFrom'],
    ['dueTo=2026-02-01', 'dueTo'],
    ['claimer=someone', 'claimer'],
    ['waitFor=abc', 'waitFor'],
    ['type=a&type=b', 'type'],
    ['sort=title', 'sort'],
    // Issue 9, case 4: ?q=%00 answered 500 (PostgreSQL refuses NUL in text).
    ['q=%00', 'q'],
    ['q=refund%00', 'q'],
    ['q=%F0%9F', 'q'],
    ['q=%ED%A0%80', 'q'],
    ['tag=%FF', 'tag'],
    ['customer=a%00', 'customer'],
    [`project=${'x'.repeat(201)}`, 'project'],
  ])('400 for %s names %s', async (query, field) => {
    const { status, body } = await list(`?${query}`);
    expect(status).toBe(400);
    expect(body.details.map((detail: { field: string }) => detail.field)).toContain(field);
    expect(body.message).toMatch(new RegExp(field));
  });

  it("400 for 'me' filters from an API key, which never claims or is assigned", async () => {
    for (const field of ['claimer=me', 'assignedToMe=true']) {
      const { status, body } = await list(`?${field}`, acme.tokens.service);
      expect(status).toBe(400);
      expect(body.details[0].field).toBe(field.split('=')[0]);
    }
  });

  it('401 without credentials, 403 for a key without tasks:read', async () => {
    expect((await call(t.url, 'GET', '/api/inbox/tasks')).status).toBe(401);
    const writer = await acme.issueApiKey(['tasks:write']);
    expect((await list('', writer.key)).status).toBe(403);
  });
});

describe('read-your-writes (?waitFor=<taskId>:<version>)', () => {
  const bump = (taskId: string, version: number, title: string) =>
    t.pool.query('UPDATE inbox_tasks SET version = $2, title = $3 WHERE task_id = $1', [taskId, version, title]);

  it('waits until the projector reaches the version, woken by NOTIFY read_models_updated', async () => {
    const task = tasks.tickA;
    const started = Date.now();
    setTimeout(() => {
      void bump(task.id, 1, 'Tick A, renamed').then(() => t.pool.query('NOTIFY read_models_updated'));
    }, 300);
    const { status, body, headers } = await list(`?waitFor=${task.id}:1&q=tick`);
    const waited = Date.now() - started;
    expect(status).toBe(200);
    expect(body.items.find((item: { id: string }) => item.id === task.id)).toMatchObject({
      version: 1,
      title: 'Tick A, renamed',
    });
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(1500);
    expect(headers.get('x-read-model-stale')).toBeNull();
  });

  it('answers at once when the read model is already there', async () => {
    const started = Date.now();
    const { headers } = await list(`?waitFor=${tasks.refund.id}:0`);
    // Well under the 2 s wait it would sit out, with room for a loaded CI machine.
    expect(Date.now() - started).toBeLessThan(1500);
    expect(headers.get('x-read-model-stale')).toBeNull();
  });

  it('gives up after 2 s and answers with what it has, marked stale', async () => {
    const started = Date.now();
    const { status, body, headers } = await list(`?waitFor=${tasks.tickB.id}:7`);
    const waited = Date.now() - started;
    expect(status).toBe(200);
    expect(ids(body)).toContain(tasks.tickB.id);
    expect(headers.get('x-read-model-stale')).toBe('true');
    expect(waited).toBeGreaterThanOrEqual(1900);
    expect(waited).toBeLessThan(3500);
  });

  it("never counts another organisation's task as arrived", async () => {
    const { headers } = await list(`?waitFor=${tasks.globex.id}:0`);
    expect(headers.get('x-read-model-stale')).toBe('true');
  });
});

describe('OpenAPI', () => {
  it('documents the query endpoints and their parameters', async () => {
    const { status, body } = await call(t.url, 'GET', '/api/docs/openapi.json');
    expect(status).toBe(200);
    const parameters = (path: string) =>
      body.paths[path].get.parameters.map((parameter: { name: string }) => parameter.name);
    expect(parameters('/api/inbox/tasks')).toEqual(
      expect.arrayContaining([
        'status',
        'type',
        'assignee',
        'customer',
        'project',
        'tag',
        'claimer',
        'assignedToMe',
        'dueFrom',
        'dueTo',
        'q',
        'showCompleted',
        'limit',
        'cursor',
        'waitFor',
      ]),
    );
    expect(parameters('/api/tasks/{id}/timeline')).toEqual(expect.arrayContaining(['id', 'minVersion']));
    expect(parameters('/api/stats/resolution-time')).toEqual(
      expect.arrayContaining(['type', 'from', 'to', 'businessHours']),
    );
    expect(parameters('/api/stats/backlog')).toEqual(expect.arrayContaining(['interval']));
    expect(Object.keys(body.paths['/api/settings/calendar'])).toEqual(expect.arrayContaining(['get', 'put']));
  });
});
