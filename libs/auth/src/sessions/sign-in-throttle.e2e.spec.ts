import { call, startTestApp, type TestApp, type TestOrganisation } from '@taskinbox/testing';

// The app trusts X-Forwarded-For from this machine (TRUST_PROXY), so each test speaks as its own client address.
// The delays are real seconds, which the tests wait out.
jest.setTimeout(20_000);
let t: TestApp;
let acme: TestOrganisation;

beforeAll(async () => {
  t = await startTestApp({ imports: [], env: { TRUST_PROXY: '127.0.0.1' } });
  acme = await t.createOrganisation('acme');
});
afterAll(() => t?.close());

const login = (email: string, password: string, from: string) =>
  call(t.url, 'POST', '/api/auth/login', { body: { email, password }, headers: { 'x-forwarded-for': from } });

describe('the issue: 40 wrong passwords in one second', () => {
  it('answer 429 with Retry-After after the first few', async () => {
    const victim = await acme.addUser('member');
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => login(victim.email, `wrong guess ${i}`, '198.51.100.1')));
    const statuses = answers.map((answer) => answer.status);
    const refused = answers.filter((answer) => answer.status === 429);
    console.log(`40 wrong passwords at once: ${statuses.filter((s) => s === 401).length} × 401, ${refused.length} × 429`);
    // Five pass, the sixth starts a 1 s delay; on a loaded machine the forty may take longer than
    // that to arrive, and each delay that passes lets one more through (then 2 s, 4 s, …).
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(5);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(8);
    expect(refused.length).toBe(40 - statuses.filter((s) => s === 401).length);
    for (const answer of refused) {
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(answer.body.message).toMatch(/too many/i);
    }
    // The right password from another address is throttled too: the account is what is being guessed.
    expect((await login(victim.email, victim.password, '198.51.100.2')).status).toBe(429);
  });
});

describe('sign-in throttling', () => {
  it('delays grow per account, and the right password after the wait signs in and starts afresh', async () => {
    const sam = await acme.addUser('member');
    for (let i = 0; i < 6; i++) expect((await login(sam.email, 'nope', '198.51.100.3')).status).toBe(401);
    const first = await login(sam.email, 'nope', '198.51.100.3');
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('1');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await login(sam.email, 'nope', '198.51.100.3')).status).toBe(401);
    const second = await login(sam.email, 'nope', '198.51.100.3');
    expect(second.headers.get('retry-after')).toBe('2');
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await login(sam.email, sam.password, '198.51.100.3')).status).toBe(200);
    expect((await login(sam.email, 'one typo', '198.51.100.3')).status).toBe(401);
  });

  it('per client address: one address guessing many accounts is slowed after 20 attempts; others are not', async () => {
    const answers: number[] = [];
    for (let i = 0; i < 24; i++) answers.push((await login(`nobody-${i}@example.test`, 'guess', '203.0.113.9')).status);
    expect(answers.slice(0, 20).every((status) => status === 401)).toBe(true);
    expect(answers.slice(21)).toEqual([429, 429, 429]);
    const kim = await acme.addUser('viewer');
    expect((await login(kim.email, kim.password, '203.0.113.10')).status).toBe(200);
  });
});
