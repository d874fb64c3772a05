import { randomUUID } from 'node:crypto';
import { call, type TestApp, type TestOrganisation } from '@taskinbox/testing';
import { projected, startOneProcessApp } from './one-process.fixture';

// Issue 14: a task's end user follows a status link (a capability URL) to a public page that
// shows the status in their words, the fields the type marks public, the public moments and an
// explainable ETA, and nothing else of the task, the organisation or its people.
jest.setTimeout(90_000);

let t: TestApp;
let acme: TestOrganisation;
let globex: TestOrganisation;
let ann: { id: string; token: string; email: string };

beforeAll(async () => {
  t = await startOneProcessApp();
  [acme, globex] = await Promise.all([t.createOrganisation('acme'), t.createOrganisation('globex')]);
  ann = await acme.addUser('member');
  const published = await api('POST', '/api/task-types', acme.tokens.admin, {
    key: 'refund.request',
    name: 'Refund request',
    schema: { type: 'object', properties: { amount: { type: 'number' }, email: { type: 'string' }, reason: { type: 'string' } } },
    uiSchema: {},
    layout: [{ field: '/amount', label: 'Amount', format: 'money' }],
    publicFields: ['/amount'],
    defaults: {},
  });
  expect(published.status).toBe(201);
  // A fixed history: 20 refunds resolved in 1 h (11), 2 h (8) and 3 h (1) of working time; 12 accepted.
  const durations = [...Array(11).fill(3600), ...Array(8).fill(7200), 10800];
  for (const [index, seconds] of durations.entries()) {
    await t.pool.query(
      `INSERT INTO task_facts (task_id, org_id, task_type, created_at, resolved_at, outcome, resolution, resolution_seconds, business_seconds, private)
       VALUES ($1, $2, 'refund.request', now() - interval '10 days', now() - interval '9 days', 'completed', $3, $4, $4, false)`,
      [randomUUID(), acme.id, index < 12 ? 'accepted' : 'rejected', seconds],
    );
  }
});
afterAll(() => t?.close());

const api = (method: string, path: string, token?: string, body?: unknown) => call(t.url, method, path, { token, body });
const tokenOf = (url: string) => new URL(url).pathname.split('/').pop()!;
const page = (token: string) => fetch(`${t.url}/status/${token}`);

const secrets = {
  title: 'Refund TITLE-7731 for Mrs Jones',
  description: 'DESCRIPTION-7731',
  email: 'jones@customer.example',
  reason: 'PAYLOAD-REASON-7731',
  comment: 'PRIVATE-COMMENT-7731 she called twice',
  customerRef: 'CUSTOMER-7731',
  tag: 'tag-7731',
  externalRef: 'EXTREF-7731',
};

async function refundTask(): Promise<string> {
  const created = await api('POST', '/api/tasks', acme.tokens.service, {
    type: 'refund.request',
    title: secrets.title,
    description: secrets.description,
    payload: { amount: 25, email: secrets.email, reason: secrets.reason },
    customerRef: secrets.customerRef,
    tags: [secrets.tag],
    externalRef: secrets.externalRef,
    assignees: [{ kind: 'user', id: ann.id }],
  });
  expect(created.status).toBe(201);
  return created.body.id;
}

const viewKeys = ['endUserRequest', 'eta', 'fields', 'linkExpiresAt', 'stats', 'status', 'statusLabel', 'timeline', 'typeName'];

describe('a status link', () => {
  it('shows the end user the status, public fields, public moments and ETA, and nothing else', async () => {
    const id = await refundTask();
    const link = await api('POST', `/api/tasks/${id}/status-link`, acme.tokens.service);
    expect(link.status).toBe(201);
    expect(Object.keys(link.body)).toEqual(['url']);
    expect(link.body.url).toMatch(new RegExp(`^${t.config.publicUrl}/status/[A-Za-z0-9_-]{43}$`));
    const token = tokenOf(link.body.url);

    expect((await api('POST', `/api/inbox/tasks/${id}/claim`, ann.token)).status).toBe(200);
    expect((await api('POST', `/api/tasks/${id}/comments`, ann.token, { body: secrets.comment })).status).toBe(201);
    await projected(t);

    const json = await api('GET', `/api/status/${token}`);
    expect(json.status).toBe(200);
    expect(json.headers.get('x-robots-tag')).toContain('noindex');
    expect(Object.keys(json.body).sort()).toEqual(viewKeys);
    expect(json.body).toMatchObject({
      status: 'in_progress',
      statusLabel: 'Being worked on',
      typeName: 'Refund request',
      fields: [{ label: 'Amount', value: '25' }],
      stats: null,
      endUserRequest: null,
      linkExpiresAt: null,
    });
    expect(json.body.timeline.map((event: { label: string }) => event.label)).toEqual(['Received', 'Being worked on']);
    for (const event of json.body.timeline) expect(Object.keys(event).sort()).toEqual(['at', 'label']);
    expect(Object.keys(json.body.eta).sort()).toEqual(['explanation', 'from', 'to']);
    // percentile_cont: P50 at rank 9.5 (1 h, 1 h), P90 at rank 17.1 (2 h, 2 h) of the sorted 20.
    expect(json.body.eta.explanation[0]).toBe('Tasks of this type normally take 1 h to 2 h of working time.');
    expect(json.body.eta.explanation.at(-1)).toMatch(/^Expect it between .+ and .+\.$/);
    expect(Date.parse(json.body.eta.to)).toBeGreaterThan(Date.parse(json.body.eta.from));

    const html = await page(token);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('x-robots-tag')).toContain('noindex');
    expect(html.headers.get('referrer-policy')).toBe('no-referrer');
    const csp = html.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    const text = await html.text();
    expect(text).toContain('<meta name="robots" content="noindex');
    expect(text).toContain('Being worked on');
    expect(text).toContain('<dt>Amount</dt><dd>25</dd>');
    expect(text).toContain('Tasks of this type normally take 1 h to 2 h of working time.');
    expect(text).not.toMatch(/<script|src=|href=/);

    // Nothing else of the task, the organisation or its people, in either form.
    const { rows: orgs } = await t.pool.query('SELECT name, slug FROM organisations WHERE id = $1', [acme.id]);
    const { rows: people } = await t.pool.query('SELECT name, email FROM users WHERE id = $1', [ann.id]);
    const forbidden = [
      ...Object.values(secrets),
      orgs[0].name,
      orgs[0].slug,
      acme.id,
      people[0].name,
      people[0].email,
      ann.id,
      acme.serviceId,
      id,
      'refund.request',
    ];
    for (const body of [text, JSON.stringify(json.body)]) for (const secret of forbidden) expect(body).not.toContain(secret);
  });

  it('is the same as JSON for the sender, signed in; another organisation sees nothing', async () => {
    const id = await refundTask();
    const { url } = (await api('POST', `/api/tasks/${id}/status-link`, acme.tokens.admin)).body;
    await projected(t);
    const mine = await api('GET', `/api/tasks/${id}/status`, acme.tokens.service);
    expect(mine.status).toBe(200);
    const open = await api('GET', `/api/status/${tokenOf(url)}`);
    expect({ ...mine.body, eta: null }).toEqual({ ...open.body, eta: null });
    expect(mine.body.status).toBe('received');
    expect((await api('GET', `/api/tasks/${id}/status`, globex.tokens.service)).status).toBe(404);
    expect((await api('POST', `/api/tasks/${id}/status-link`, globex.tokens.admin)).status).toBe(404);
  });

  it('may be asked for by people who work tasks and by the sending service, not viewers or other services', async () => {
    const id = await refundTask();
    expect((await api('POST', `/api/tasks/${id}/status-link`, acme.tokens.viewer)).status).toBe(403);
    const other = await acme.issueApiKey(['tasks:read', 'tasks:write']);
    const refused = await api('POST', `/api/tasks/${id}/status-link`, other.key);
    expect(refused.status).toBe(403);
    expect(refused.body.details).toEqual({ code: 'status_link_sender_only' });
    expect((await api('POST', `/api/tasks/${id}/status-link`, ann.token)).status).toBe(201);
    expect((await api('POST', `/api/tasks/${randomUUID()}/status-link`, acme.tokens.admin)).status).toBe(404);
  });

  it('can be asked for when the task is created', async () => {
    const created = await api('POST', '/api/tasks', acme.tokens.service, { type: 'refund.request', title: 'T', payload: { amount: 7 }, statusLink: true });
    expect(created.status).toBe(201);
    expect(created.body.statusLink.url).toMatch(/\/status\/[A-Za-z0-9_-]{43}$/);
    await projected(t);
    expect((await api('GET', `/api/status/${tokenOf(created.body.statusLink.url)}`)).body.fields).toEqual([{ label: 'Amount', value: '7' }]);
    expect((await api('GET', `/api/tasks/${created.body.id}`, acme.tokens.service)).body.statusLink).toBeUndefined();
    const before = Number((await t.pool.query('SELECT count(*) AS n FROM es_events')).rows[0].n);
    expect((await api('POST', '/api/tasks', acme.tokens.service, { type: 'misc', title: 'T', private: true, statusLink: true })).status).toBe(400);
    expect((await api('POST', '/api/tasks', acme.tokens.service, { type: 'misc', title: 'T', statusLink: 'yes' })).status).toBe(400);
    expect(Number((await t.pool.query('SELECT count(*) AS n FROM es_events')).rows[0].n)).toBe(before);
  });

  it('is refused for private tasks, and stops working when a task is made private', async () => {
    const hidden = await api('POST', '/api/tasks', acme.tokens.service, { type: 'misc', title: 'T', private: true });
    const refused = await api('POST', `/api/tasks/${hidden.body.id}/status-link`, acme.tokens.service);
    expect(refused.status).toBe(409);
    expect(refused.body.details).toEqual({ code: 'status_link_private_task' });

    const id = await refundTask();
    const token = tokenOf((await api('POST', `/api/tasks/${id}/status-link`, acme.tokens.service)).body.url);
    await projected(t);
    expect((await page(token)).status).toBe(200);
    expect((await api('PATCH', `/api/tasks/${id}`, acme.tokens.service, { private: true })).status).toBe(200);
    await projected(t);
    expect((await page(token)).status).toBe(404);
  });

  it('shows a task without a type without fields', async () => {
    const created = await api('POST', '/api/tasks', acme.tokens.service, { type: 'misc', title: secrets.title, payload: { reason: secrets.reason } });
    const { url } = (await api('POST', `/api/tasks/${created.body.id}/status-link`, acme.tokens.service)).body;
    await projected(t);
    const view = await api('GET', `/api/status/${tokenOf(url)}`);
    expect(view.body).toMatchObject({ status: 'received', typeName: null, fields: [] });
    expect(JSON.stringify(view.body)).not.toContain(secrets.reason);
  });

  it('answers 404 alike once revoked, replaced, expired or unknown', async () => {
    const id = await refundTask();
    const first = tokenOf((await api('POST', `/api/tasks/${id}/status-link`, acme.tokens.service)).body.url);
    const second = tokenOf((await api('POST', `/api/tasks/${id}/status-link`, acme.tokens.service)).body.url);
    await projected(t);
    expect((await page(second)).status).toBe(200);

    const unknown = await page('A'.repeat(43));
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('x-robots-tag')).toContain('noindex');
    const notFoundText = await unknown.text();
    const replaced = await page(first);
    expect(replaced.status).toBe(404);
    expect(await replaced.text()).toBe(notFoundText);

    expect((await api('DELETE', `/api/tasks/${id}/status-link`, acme.tokens.service)).status).toBe(204);
    const revoked = await page(second);
    expect(revoked.status).toBe(404);
    expect(await revoked.text()).toBe(notFoundText);
    const revokedJson = await api('GET', `/api/status/${second}`);
    const unknownJson = await api('GET', `/api/status/${'A'.repeat(43)}`);
    expect(revokedJson.status).toBe(404);
    expect(revokedJson.body.message).toBe(unknownJson.body.message);
    expect(revokedJson.body.details).toEqual(unknownJson.body.details);
    expect((await api('GET', '/api/status/short')).status).toBe(404);
  });

  it('keeps working a set time after the task ends, then expires; public stats when the organisation shows them', async () => {
    const id = await refundTask();
    const token = tokenOf((await api('POST', `/api/tasks/${id}/status-link`, acme.tokens.service)).body.url);
    const settings = { linkTtlDays: 2, publicStats: true, etaHooks: [] };
    expect((await api('PUT', '/api/transparency/settings', acme.tokens.member, settings)).status).toBe(403);
    expect((await api('PUT', '/api/transparency/settings', acme.tokens.admin, settings)).body).toEqual(settings);
    // The end user looks once while it waits: the estimate they see is kept for calibration.
    await projected(t);
    const shown = await api('GET', `/api/status/${token}`);
    expect(shown.body.eta).not.toBeNull();
    expect(shown.body.stats.estimates).toEqual({ tasks: 0, withinPercent: null });
    expect((await api('POST', `/api/inbox/tasks/${id}/claim`, ann.token)).status).toBe(200);
    expect((await api('PUT', `/api/inbox/tasks/${id}`, ann.token, { status: 'completed', resolution: 'accepted' })).status).toBe(200);
    await projected(t);

    const done = await api('GET', `/api/status/${token}`);
    expect(done.body).toMatchObject({ status: 'done', statusLabel: 'Done', eta: null });
    expect(done.body.timeline.map((event: { label: string }) => event.label)).toEqual(['Received', 'Being worked on', 'Done']);
    const { rows } = await t.pool.query('SELECT completed_at FROM inbox_tasks WHERE task_id = $1', [id]);
    expect(Date.parse(done.body.linkExpiresAt)).toBe(rows[0].completed_at.getTime() + 2 * 86_400_000);
    // 20 in the fixed history, plus this one (completed now, so 0 working seconds on a closed day or a few on an open one).
    expect(done.body.stats).toMatchObject({ resolvedCount: 21 });
    expect(done.body.stats.outcomes).toEqual([
      { resolution: 'accepted', percent: 62 },
      { resolution: 'rejected', percent: 38 },
    ]);
    expect(await (await page(token)).text()).toContain('Over the last 6 months, 21 were resolved');
    // Resolved at once, well before the latest time shown (the other estimated tasks are still open).
    expect(done.body.stats.estimates).toEqual({ tasks: 1, withinPercent: 100 });
    expect((await api('GET', '/api/transparency/calibration?taskType=refund.request', acme.tokens.viewer)).body).toEqual([
      { taskType: 'refund.request', tasks: 1, withinEstimate: 1, withinPercent: 100 },
    ]);
    expect((await api('GET', '/api/transparency/calibration', globex.tokens.viewer)).body).toEqual([]);
    expect((await api('GET', '/api/transparency/calibration?taskType=%20bad', acme.tokens.viewer)).status).toBe(400);

    // Three days after the end, with links kept two days.
    await t.pool.query(`UPDATE inbox_tasks SET completed_at = now() - interval '3 days' WHERE task_id = $1`, [id]);
    expect((await page(token)).status).toBe(404);
    expect((await api('GET', `/api/status/${token}`)).status).toBe(404);
    await api('PUT', '/api/transparency/settings', acme.tokens.admin, { linkTtlDays: 30, publicStats: false, etaHooks: [] });
  });

  it('asks the end user with a form, takes one valid answer by the end user, and puts the task back in the queue', async () => {
    const id = await refundTask();
    const token = tokenOf((await api('POST', `/api/tasks/${id}/status-link`, acme.tokens.service)).body.url);
    expect((await api('POST', `/api/inbox/tasks/${id}/claim`, ann.token)).status).toBe(200);
    const form = {
      type: 'object',
      required: ['iban'],
      properties: {
        iban: { type: 'string', title: 'IBAN', description: 'Where we send the money', minLength: 5 },
        speed: { type: 'string', title: 'Speed', enum: ['standard', 'express'] },
        keep: { type: 'boolean', title: 'Keep the item' },
      },
    };
    const other = await acme.issueApiKey(['tasks:write']);
    expect((await api('POST', `/api/tasks/${id}/end-user-request`, other.key, { prompt: 'IBAN?', form })).status).toBe(403);
    expect((await api('POST', `/api/tasks/${id}/end-user-request`, acme.tokens.viewer, { prompt: 'IBAN?', form })).status).toBe(403);
    expect((await api('POST', `/api/tasks/${id}/end-user-request`, ann.token, { prompt: 'IBAN?', form: { type: 'object', properties: { a: { type: 'object' } } } })).status).toBe(400);
    expect((await api('POST', `/api/tasks/${id}/end-user-request`, ann.token, { prompt: 'IBAN?', actionUrl: 'http://plain.example' })).status).toBe(400);
    const asked = await api('POST', `/api/tasks/${id}/end-user-request`, ann.token, { prompt: 'Which <b>IBAN</b> should we refund to?', form });
    expect(asked.status).toBe(201);
    expect((await api('POST', `/api/tasks/${id}/end-user-request`, ann.token, { prompt: 'Again?', form })).status).toBe(409);
    await projected(t);

    const waiting = await api('GET', `/api/status/${token}`);
    expect(waiting.body).toMatchObject({
      status: 'waiting_for_you',
      statusLabel: 'Waiting for you',
      endUserRequest: {
        prompt: 'Which <b>IBAN</b> should we refund to?',
        actionUrl: null,
        fields: [
          { name: 'iban', label: 'IBAN', hint: 'Where we send the money', kind: 'text', required: true },
          { name: 'speed', label: 'Speed', kind: 'choice', required: false, options: ['standard', 'express'] },
          { name: 'keep', label: 'Keep the item', kind: 'boolean', required: false },
        ],
      },
    });
    const pageText = await (await page(token)).text();
    expect(waiting.body.eta.explanation).toContain('We need your answer first: the clock starts when you send it.');
    expect(pageText).toContain('Which &lt;b&gt;IBAN&lt;/b&gt; should we refund to?');
    expect(pageText).toContain(`<form method="post" action="/status/${token}/answer">`);
    const hidden = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(pageText)![1];
    const fields = { requestId: hidden('requestId'), formToken: hidden('formToken') };
    expect(fields.requestId).toBe(asked.body.requestId);

    const post = (body: Record<string, string>, to = token) =>
      fetch(`${t.url}/status/${to}/answer`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(body).toString(),
      });
    const events = async () => Number((await t.pool.query('SELECT count(*) AS n FROM es_events')).rows[0].n);
    const before = await events();
    const tooShort = await post({ ...fields, iban: 'DE8' });
    expect(tooShort.status).toBe(400);
    expect(await tooShort.text()).toMatch(/Please check your answer:.*iban must NOT have fewer than 5 characters/s);
    expect((await post({ ...fields, formToken: 'x'.repeat(43), iban: 'DE89 3704' })).status).toBe(400);
    expect((await post({ ...fields, iban: 'DE89 3704' }, 'B'.repeat(43))).status).toBe(404);
    expect(await events()).toBe(before);

    const taken = await post({ ...fields, iban: 'DE89 3704', speed: 'express' });
    expect(taken.status).toBe(303);
    expect(taken.headers.get('location')).toBe(`/status/${token}`);
    expect((await post({ ...fields, iban: 'DE00 0000' })).status).toBe(409);
    await projected(t);

    const task = await api('GET', `/api/tasks/${id}`, acme.tokens.admin);
    expect(task.body).toMatchObject({ status: 'pending' });
    const { rows } = await t.pool.query(
      `SELECT event_type AS type, data FROM es_events WHERE stream_id = $1 ORDER BY stream_revision`,
      [`task-${id}`],
    );
    const tail = rows.slice(-3);
    expect(tail.map((row: { type: string }) => row.type)).toEqual(['TaskEndUserAsked', 'TaskInfoPosted', 'TaskEndUserAnswered']);
    expect(tail[1].data).toMatchObject({ by: { kind: 'end_user', id: fields.requestId }, info: { iban: 'DE89 3704', speed: 'express', keep: false } });
    const after = await api('GET', `/api/status/${token}`);
    expect(after.body).toMatchObject({ status: 'received', endUserRequest: null });
    expect(after.body.timeline.map((event: { label: string }) => event.label)).toEqual([
      'Received',
      'Being worked on',
      'We asked you for something',
      'You answered',
    ]);
  });

  it('takes form posts only on the answer route', async () => {
    const form = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'title=x' };
    expect((await fetch(`${t.url}/api/tasks`, { ...form, headers: { ...form.headers, authorization: `Bearer ${acme.tokens.service}` } })).status).toBe(415);
    expect((await fetch(`${t.url}/status/${'C'.repeat(43)}/answer`, { ...form, body: 'a=1&a=2' })).status).toBe(400);
    expect((await fetch(`${t.url}/status/${'C'.repeat(43)}/answer`, { ...form, body: 'a=%FF' })).status).toBe(400);
    expect((await api('POST', `/status/${'C'.repeat(43)}/answer`, undefined, { requestId: 'x' })).status).toBe(404);
  });

  it('counts the people on call as the people on duty, when the organisation has on-call schedules', async () => {
    await refundTask();
    const id = await refundTask();
    const token = tokenOf((await api('POST', `/api/tasks/${id}/status-link`, acme.tokens.service)).body.url);
    await projected(t);
    // Workers of acme: its admin and member, and ann.
    const backlog = (body: { eta: { explanation: string[] } }) => body.eta.explanation.find((sentence) => sentence.includes('ahead of yours'));
    expect(backlog((await api('GET', `/api/status/${token}`)).body)).toMatch(/ahead of yours and 3 people work on them/);

    const rotation = await api('POST', '/api/oncall/rotations', acme.tokens.admin, {
      name: 'first line',
      timeZone: 'UTC',
      startDate: '2026-01-05',
      handoffTime: '00:00',
      shiftUnit: 'weeks',
      shiftLength: 1,
      people: [ann.id],
    });
    expect(rotation.status).toBe(201);
    const schedule = await api('POST', '/api/oncall/schedules', acme.tokens.admin, {
      name: 'always',
      timeZone: 'UTC',
      rules: [{ days: [0, 1, 2, 3, 4, 5, 6], start: '00:00', end: '00:00', target: { kind: 'rotation', id: rotation.body.id } }],
    });
    expect(schedule.status).toBe(201);
    expect(backlog((await api('GET', `/api/status/${token}`)).body)).toMatch(/ahead of yours and 1 person works on them/);
  });

  it('refuses hostile settings with 400', async () => {
    for (const bad of [
      { linkTtlDays: 0, publicStats: false, etaHooks: [] },
      { linkTtlDays: 30, publicStats: 'yes', etaHooks: [] },
      { linkTtlDays: 30, publicStats: false, etaHooks: [{ feature: 'tier', op: 'eq', value: 1, sentence: 'x' }] },
      { linkTtlDays: 30, publicStats: false, etaHooks: [{ feature: '/tier', op: 'like', value: 1, sentence: 'x' }] },
      { linkTtlDays: 30, publicStats: false, etaHooks: [{ feature: '/tier', op: 'eq', sentence: 'x' }] },
    ]) {
      expect((await api('PUT', '/api/transparency/settings', acme.tokens.admin, bad)).status).toBe(400);
    }
  });
});
