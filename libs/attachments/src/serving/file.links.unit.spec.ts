import { FileLinks } from './file.links';

describe('FileLinks', () => {
  let now = Date.parse('2026-12-06T12:00:00Z');
  const links = new FileLinks('x'.repeat(32), 300, () => now);
  const params = (url: string) => Object.fromEntries(new URL(url, 'http://h').searchParams) as { expires: string; signature: string };

  it('a link works for its attachment and variant until it expires', () => {
    const { url, expiresAt } = links.sign('a1', 'original');
    expect(expiresAt).toBe('2026-12-06T12:05:00.000Z');
    const { expires, signature } = params(url);
    expect(() => links.verify('a1', 'original', expires, signature)).not.toThrow();
    expect(() => links.verify('a2', 'original', expires, signature)).toThrow('not valid');
    expect(() => links.verify('a1', 'thumb', expires, signature)).toThrow('not valid');
    expect(() => links.verify('a1', 'original', String(Number(expires) + 3600), signature)).toThrow('not valid');
    now += 301_000;
    expect(() => links.verify('a1', 'original', expires, signature)).toThrow('expired');
  });

  it('another secret signs other links', () => {
    const { expires, signature } = params(new FileLinks('y'.repeat(32), 300, () => now).sign('a1', 'original').url);
    expect(() => links.verify('a1', 'original', expires, signature)).toThrow('not valid');
    expect(() => links.verify('a1', 'original', undefined, undefined)).toThrow('not valid');
  });
});
