import { WebhookUrlRefused } from '../webhook.errors';
import { UrlGuard } from './url.guard';

const refusedReason = async (promise: Promise<unknown>): Promise<string | undefined> =>
  promise.then(
    () => undefined,
    (error: unknown) => (error instanceof WebhookUrlRefused ? error.reason : `unexpected: ${String(error)}`),
  );

describe('UrlGuard', () => {
  const guard = new UrlGuard([]);

  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.20.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'cgnat'],
    ['169.254.169.254', 'metadata'],
    ['169.254.1.1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['::1', 'loopback'],
    ['fd00:ec2::254', 'metadata'],
    ['fd12:3456::1', 'unique-local'],
    ['fe80::1', 'link-local'],
    ['::ffff:127.0.0.1', 'ipv4-mapped'],
    ['::ffff:8.8.8.8', 'ipv4-mapped'],
  ])('refuses %s as %s', (address, reason) => {
    expect(guard.refusal(address)).toBe(reason);
  });

  it('allows public addresses and whatever the operator allow-list names', () => {
    expect(guard.refusal('93.184.216.34')).toBeUndefined();
    expect(guard.refusal('2606:4700::1111')).toBeUndefined();
    const lab = new UrlGuard(['127.0.0.1', '10.0.0.0/8']);
    expect(lab.refusal('127.0.0.1')).toBeUndefined();
    expect(lab.refusal('10.9.9.9')).toBeUndefined();
    expect(lab.refusal('127.0.0.2')).toBe('loopback');
    expect(lab.refusal('::ffff:127.0.0.1')).toBe('ipv4-mapped');
  });

  it('checks URLs: scheme, credentials, literal hosts in any notation, and every resolved address', async () => {
    expect(await refusedReason(guard.checkUrl('ftp://example.com/'))).toBe('scheme');
    expect(await refusedReason(guard.checkUrl('not a url'))).toBe('invalid');
    expect(await refusedReason(guard.checkUrl('https://u:p@example.com/'))).toBe('credentials');
    expect(await refusedReason(guard.checkUrl('http://[::1]:8080/hook'))).toBe('loopback');
    expect(await refusedReason(guard.checkUrl('http://2130706433/'))).toBe('loopback');
    expect(await refusedReason(guard.checkUrl('http://[::ffff:7f00:1]/'))).toBe('ipv4-mapped');

    const dns = new UrlGuard([], async (host) =>
      host === 'sneaky.example'
        ? [
            { address: '93.184.216.34', family: 4 },
            { address: '10.0.0.5', family: 4 },
          ]
        : [{ address: '93.184.216.34', family: 4 }],
    );
    expect(await refusedReason(dns.checkUrl('https://sneaky.example/hook'))).toBe('private');
    expect(await refusedReason(dns.checkUrl('https://fine.example/hook'))).toBeUndefined();
    expect(await dns.resolve(new URL('https://fine.example/hook'))).toEqual({ address: '93.184.216.34', family: 4 });
    expect(await refusedReason(dns.resolve(new URL('https://sneaky.example/')))).toBe('private');
  });
});
