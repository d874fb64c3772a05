import { PasswordHasher } from './password.hasher';

describe('PasswordHasher', () => {
  it('hashes with argon2id and verifies; an unknown account never matches', async () => {
    const hasher = new PasswordHasher({ auth: { passwordHashConcurrency: 2, cacheMs: 0, trustedProxies: [] } });
    const stored = await hasher.hash('correct horse battery');
    expect(stored).toMatch(/^\$argon2id\$/);
    expect(await hasher.verify(stored, 'correct horse battery')).toBe(true);
    expect(await hasher.verify(stored, 'wrong')).toBe(false);
    expect(await hasher.verify(null, 'decoy password that never matches')).toBe(false);
  });

  it('runs at most the configured number at once and refuses a flood beyond the queue (503 sign_in_busy)', async () => {
    const hasher = new PasswordHasher({ auth: { passwordHashConcurrency: 1, cacheMs: 0, trustedProxies: [] } });
    const stored = await hasher.hash('x');
    const attempts = Array.from({ length: 40 }, () => hasher.verify(stored, 'y').then(() => 'ran', (error) => error.code));
    const outcomes = await Promise.all(attempts);
    // One running plus 16 waiting; the rest are refused at once.
    expect(outcomes.filter((o) => o === 'ran')).toHaveLength(17);
    expect(outcomes.filter((o) => o === 'sign_in_busy')).toHaveLength(23);
  });
});
