import { randomBytes } from 'node:crypto';
import { ApiKeyService, CurrentAccess } from '@taskinbox/auth';
import { startTestApp, type TestApp } from '@taskinbox/testing';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ imports: [], env: { API_KEY_CACHE_MS: '60000' } });
});
afterAll(() => t?.close());

describe('the API key cache', () => {
  it('keeps a valid key through a flood of failed look-ups many times its size', async () => {
    const org = await t.createOrganisation('flood');
    // A cache of 8 entries, so a flood of 400 is fifty times its size.
    const keys = new ApiKeyService(t.pool, t.config, t.app.get(CurrentAccess), 8);
    const { id, key } = await keys.issue(org.id, 'valid', ['tasks:read'], null);
    expect(await keys.verify(key)).not.toBeNull();
    // Written behind the service's back, with no notice: only the cached entry can still answer.
    await t.pool.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [id]);

    const wrong = (lookup: string) => `tib_${lookup}_${randomBytes(32).toString('base64url')}`;
    for (let batch = 0; batch < 20; batch++) {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => keys.verify(wrong(`${String(batch).padStart(2, '0')}${String(i).padStart(2, '0')}aaaaaaaa`))),
      );
    }
    // The same lookup as the valid key with a wrong secret is refused and does not replace it either.
    expect(await keys.verify(`${key.slice(0, 'tib_'.length + 12)}_${'B'.repeat(43)}`)).toBeNull();
    expect((await keys.verify(key))?.actor).toMatchObject({ kind: 'service', id });
  });
});
