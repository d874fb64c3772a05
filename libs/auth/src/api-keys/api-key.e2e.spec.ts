import { call, startTestApp, type TestApp, type TestOrganisation } from '@taskinbox/testing';

let t: TestApp;
let acme: TestOrganisation;
let globex: TestOrganisation;

beforeAll(async () => {
  // No key cache, so a revocation is seen on the next request.
  t = await startTestApp({ imports: [], env: { API_KEY_CACHE_MS: '0' } });
  [acme, globex] = await Promise.all([t.createOrganisation('acme'), t.createOrganisation('globex')]);
});
afterAll(() => t?.close());

describe('API keys', () => {
  it('are shown once, stored only as a hash, listed without the secret, and stop working when revoked', async () => {
    const created = await call(t.url, 'POST', '/api/api-keys', { token: acme.tokens.admin, body: { name: 'billing', scopes: ['tasks:read'] } });
    expect(created.status).toBe(201);
    const { id, key, prefix } = created.body;
    expect(key).toMatch(/^tib_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(key.startsWith(prefix)).toBe(true);

    const stored = await t.pool.query('SELECT * FROM api_keys WHERE id = $1', [id]);
    // The secret part may itself contain '_': cut after the public prefix.
    expect(JSON.stringify(stored.rows[0])).not.toContain(key.slice(prefix.length + 1));

    const listed = await call(t.url, 'GET', '/api/api-keys', { token: acme.tokens.admin });
    expect(JSON.stringify(listed.body)).not.toContain(key);
    expect(listed.body.find((k: { id: string }) => k.id === id)).toMatchObject({ name: 'billing', prefix, revokedAt: null });

    expect((await call(t.url, 'GET', '/api/auth/me', { token: key })).status).toBe(200);
    expect((await call(t.url, 'DELETE', `/api/api-keys/${id}`, { token: acme.tokens.admin })).status).toBe(204);
    expect((await call(t.url, 'GET', '/api/auth/me', { token: key })).status).toBe(401);
  });

  it('are managed by admins only and never across organisations', async () => {
    expect((await call(t.url, 'POST', '/api/api-keys', { token: acme.tokens.member, body: { name: 'x', scopes: ['tasks:read'] } })).status).toBe(403);
    expect((await call(t.url, 'GET', '/api/api-keys', { token: acme.tokens.service })).status).toBe(403);
    const theirs = await globex.issueApiKey(['tasks:read']);
    expect((await call(t.url, 'DELETE', `/api/api-keys/${theirs.id}`, { token: acme.tokens.admin })).status).toBe(404);
    expect((await call(t.url, 'GET', '/api/auth/me', { token: theirs.key })).status).toBe(200);
  });

  it('may expire: they work until then, and not a moment after, cache or no cache', async () => {
    const cached = await startTestApp({ imports: [], replicaOf: t, env: { API_KEY_CACHE_MS: '60000' } });
    try {
      const expiresAt = new Date(Date.now() + 1500).toISOString();
      const created = await call(t.url, 'POST', '/api/api-keys', { token: acme.tokens.admin, body: { name: 'brief', scopes: ['tasks:read'], expiresAt } });
      expect(created.status).toBe(201);
      expect(created.body.expiresAt).toBe(expiresAt);
      expect((await call(cached.url, 'GET', '/api/auth/me', { token: created.body.key })).status).toBe(200);
      const listed = await call(t.url, 'GET', '/api/api-keys', { token: acme.tokens.admin });
      expect(listed.body.find((k: { id: string }) => k.id === created.body.id).expiresAt).toBe(expiresAt);
      await new Promise((resolve) => setTimeout(resolve, Date.parse(expiresAt) - Date.now() + 50));
      expect((await call(cached.url, 'GET', '/api/auth/me', { token: created.body.key })).status).toBe(401);
      expect((await call(t.url, 'GET', '/api/auth/me', { token: created.body.key })).status).toBe(401);

      const past = await call(t.url, 'POST', '/api/api-keys', {
        token: acme.tokens.admin,
        body: { name: 'late', scopes: ['tasks:read'], expiresAt: '2020-01-01T00:00:00Z' },
      });
      expect(past.status).toBe(400);
      expect(past.body.details[0]).toEqual({ field: 'expiresAt', problems: ['expiresAt must be in the future'] });
    } finally {
      await cached.close();
    }
  });

  it('stop working on every instance at once when revoked, though another instance had it cached', async () => {
    const cached = await startTestApp({ imports: [], replicaOf: t, env: { API_KEY_CACHE_MS: '60000' } });
    try {
      const { id, key } = await acme.issueApiKey(['tasks:read']);
      expect((await call(cached.url, 'GET', '/api/auth/me', { token: key })).status).toBe(200);
      expect((await call(t.url, 'DELETE', `/api/api-keys/${id}`, { token: acme.tokens.admin })).status).toBe(204);
      const started = Date.now();
      while ((await call(cached.url, 'GET', '/api/auth/me', { token: key })).status !== 401) {
        if (Date.now() - started > 2000) throw new Error('the other instance still accepts the revoked key');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await cached.close();
    }
  });

  it('a wrong secret writes nothing, not even last-used', async () => {
    const { id, key } = await acme.issueApiKey(['tasks:read']);
    const forged = `${key.slice(0, 'tib_'.length + 12)}_${'A'.repeat(43)}`;
    expect((await call(t.url, 'GET', '/api/auth/me', { token: forged })).status).toBe(401);
    const before = await t.pool.query('SELECT last_used_at FROM api_keys WHERE id = $1', [id]);
    expect(before.rows[0].last_used_at).toBeNull();
    expect((await call(t.url, 'GET', '/api/auth/me', { token: key })).status).toBe(200);
    const after = await t.pool.query('SELECT last_used_at FROM api_keys WHERE id = $1', [id]);
    expect(after.rows[0].last_used_at).not.toBeNull();
  });

  it('refuse unknown scopes with a 400 naming them', async () => {
    const { status, body } = await call(t.url, 'POST', '/api/api-keys', { token: acme.tokens.admin, body: { name: 'x', scopes: ['tasks:delete'] } });
    expect(status).toBe(400);
    expect(body.details[0].field).toBe('scopes');
  });
});
