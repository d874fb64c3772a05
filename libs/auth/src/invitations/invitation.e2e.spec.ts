import { randomBytes } from 'node:crypto';
import { call, startTestApp, type TestApp, type TestOrganisation } from '@taskinbox/testing';

let t: TestApp;
let acme: TestOrganisation;
let globex: TestOrganisation;

beforeAll(async () => {
  t = await startTestApp({ imports: [] });
  [acme, globex] = await Promise.all([t.createOrganisation('acme'), t.createOrganisation('globex')]);
});
afterAll(() => t?.close());

const login = (email: string, password: string, organisationId?: string) =>
  call(t.url, 'POST', '/api/auth/login', { body: { email, password, organisationId } });
const invite = (org: TestOrganisation, email: string, role = 'member') =>
  call(t.url, 'POST', '/api/invitations', { token: org.tokens.admin, body: { email, role } });
const tokenOf = (link: string) => link.slice(link.indexOf('#') + 1);
const accept = (link: string, body: Record<string, unknown>) => call(t.url, 'POST', '/api/invitations/accept', { body: { token: tokenOf(link), ...body } });
const freshEmail = () => `new-${randomBytes(4).toString('hex')}@example.test`;

describe('the issue: one organisation names an e-mail another organisation already uses', () => {
  it("org B's admin can neither take over nor learn about an account of org A", async () => {
    const ann = await acme.addUser('member');
    const annName = `member of ${acme.slug}`;

    // What used to work: B's admin adds the e-mail with a password of their own choosing.
    const silent = await call(t.url, 'POST', '/api/users', {
      token: globex.tokens.admin,
      body: { email: ann.email, name: 'Anyone', password: 'chosen by globex', role: 'admin' },
    });
    expect(JSON.stringify(silent.body)).not.toContain(annName);
    expect(silent.status).not.toBe(201);
    // Neither that password nor Ann's own signs in to B; B gained nothing over Ann's account.
    expect((await login(ann.email, 'chosen by globex')).status).toBe(401);
    const annIntoB = await login(ann.email, ann.password, globex.id);
    expect(annIntoB.status).toBe(401);
    expect((await call(t.url, 'GET', '/api/users', { token: globex.tokens.admin })).body.map((u: { email: string }) => u.email)).not.toContain(ann.email);

    // Inviting her answers exactly as inviting an address nobody has used: no name, no hint.
    const known = await invite(globex, ann.email, 'admin');
    const unknown = await invite(globex, freshEmail(), 'admin');
    expect(known.status).toBe(201);
    expect(unknown.status).toBe(201);
    expect(Object.keys(known.body).sort()).toEqual(Object.keys(unknown.body).sort());
    expect(JSON.stringify(known.body)).not.toContain(annName);
    expect(known.body).toEqual({ ...unknown.body, id: known.body.id, email: ann.email, link: known.body.link, expiresAt: known.body.expiresAt });
    // Until she accepts, she is not in B.
    expect((await login(ann.email, ann.password, globex.id)).status).toBe(401);
  });
});

describe('invitations', () => {
  it('a new person sets their own password through a single-use link and is signed in', async () => {
    const email = freshEmail();
    const issued = await invite(acme, email, 'viewer');
    expect(issued.body).toEqual({ id: expect.any(String), email, role: 'viewer', expiresAt: expect.any(String), link: expect.stringMatching(/^http:\/\/localhost:\d+\/invitation#[A-Za-z0-9_-]{43}$/) });
    // Seven days, and only a hash of the token is stored.
    expect(Date.parse(issued.body.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 24 * 3600_000);
    const stored = await t.pool.query('SELECT * FROM invitations WHERE id = $1', [issued.body.id]);
    expect(JSON.stringify(stored.rows[0])).not.toContain(tokenOf(issued.body.link));

    const looked = await call(t.url, 'POST', '/api/invitations/lookup', { body: { token: tokenOf(issued.body.link) } });
    expect(looked.body).toEqual({ email, role: 'viewer', organisation: { name: 'acme' }, expiresAt: issued.body.expiresAt });
    const tooShort = await accept(issued.body.link, { newAccount: true, name: 'Nia', password: 'short' });
    expect(tooShort.status).toBe(400);
    expect(tooShort.body.details[0].field).toBe('password');

    const joined = await accept(issued.body.link, { newAccount: true, name: 'Nia', password: 'nia chose this one' });
    expect(joined.status).toBe(200);
    expect(joined.body.organisation).toMatchObject({ id: acme.id, role: 'viewer' });
    const me = await call(t.url, 'GET', '/api/auth/me', { token: joined.body.accessToken });
    expect(me.body.actor.role).toBe('viewer');
    expect((await login(email, 'nia chose this one')).status).toBe(200);

    const again = await accept(issued.body.link, { newAccount: true, name: 'Someone', password: 'another password' });
    expect(again.body).toMatchObject({ statusCode: 410, details: { code: 'link_invalid' } });
    expect((await call(t.url, 'POST', '/api/invitations/lookup', { body: { token: tokenOf(issued.body.link) } })).status).toBe(410);
    expect((await login(email, 'another password')).status).toBe(401);
  });

  it('an existing account joins only with its own password; a wrong one leaves the link usable', async () => {
    const kim = await globex.addUser('member');
    const { body: issued } = await invite(acme, kim.email, 'admin');

    const asNew = await accept(issued.link, { newAccount: true, name: 'Not Kim', password: 'taking over kim' });
    expect(asNew.body).toMatchObject({ statusCode: 409, details: { code: 'account_exists' } });
    const wrong = await accept(issued.link, { newAccount: false, password: 'not kims password' });
    expect(wrong.status).toBe(401);
    // An e-mail without an account answers exactly like a wrong password.
    const { body: nobody } = await invite(acme, freshEmail());
    const missing = await accept(nobody.link, { newAccount: false, password: 'not kims password' });
    expect(missing.status).toBe(401);
    expect(missing.body.message).toBe(wrong.body.message);

    const joined = await accept(issued.link, { newAccount: false, password: kim.password });
    expect(joined.status).toBe(200);
    expect(joined.body.organisation).toMatchObject({ id: acme.id, role: 'admin' });
    expect(joined.body.organisations.map((o: { id: string }) => o.id).sort()).toEqual([acme.id, globex.id].sort());
    // Kim's password is unchanged, and still signs in to globex.
    expect((await login(kim.email, kim.password, globex.id)).body.organisation.role).toBe('member');
  });

  it('expire, can be withdrawn, are replaced by a newer one, and are refused for a member', async () => {
    const email = freshEmail();
    const first = (await invite(acme, email)).body;
    const second = (await invite(acme, email, 'admin')).body;
    expect((await accept(first.link, { newAccount: true, name: 'X', password: 'long enough pass' })).status).toBe(410);
    const pending = await call(t.url, 'GET', '/api/invitations', { token: acme.tokens.admin });
    expect(pending.body.filter((i: { email: string }) => i.email === email)).toEqual([
      { id: second.id, email, role: 'admin', createdAt: expect.any(String), expiresAt: second.expiresAt },
    ]);
    expect(JSON.stringify(pending.body)).not.toContain('#');

    expect((await call(t.url, 'DELETE', `/api/invitations/${second.id}`, { token: acme.tokens.admin })).status).toBe(204);
    expect((await accept(second.link, { newAccount: true, name: 'X', password: 'long enough pass' })).status).toBe(410);

    const third = (await invite(acme, email)).body;
    await t.pool.query("UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = $1", [third.id]);
    expect((await accept(third.link, { newAccount: true, name: 'X', password: 'long enough pass' })).status).toBe(410);

    const member = await invite(acme, (await call(t.url, 'GET', '/api/users', { token: acme.tokens.admin })).body[0].email);
    expect(member.status).toBe(409);
    expect((await call(t.url, 'POST', '/api/invitations/accept', { body: { token: 'x'.repeat(43), newAccount: true, name: 'X', password: 'long enough pass' } })).status).toBe(410);
  });

  it('are issued, listed and withdrawn by admins of the same organisation only', async () => {
    const { body: theirs } = await invite(globex, freshEmail());
    for (const token of [acme.tokens.member, acme.tokens.viewer, acme.tokens.service]) {
      expect((await call(t.url, 'POST', '/api/invitations', { token, body: { email: freshEmail(), role: 'admin' } })).status).toBe(403);
      expect((await call(t.url, 'GET', '/api/invitations', { token })).status).toBe(403);
      expect((await call(t.url, 'DELETE', `/api/invitations/${theirs.id}`, { token })).status).toBe(403);
    }
    expect((await call(t.url, 'DELETE', `/api/invitations/${theirs.id}`, { token: acme.tokens.admin })).status).toBe(404);
    const listed = await call(t.url, 'GET', '/api/invitations', { token: acme.tokens.admin });
    expect(listed.body.map((i: { id: string }) => i.id)).not.toContain(theirs.id);
    expect((await call(t.url, 'POST', '/api/invitations/lookup', { body: { token: tokenOf(theirs.link) } })).status).toBe(200);
  });
});
