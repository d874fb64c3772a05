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
    // IPv4-compatible (::/96), deprecated: a dual-stack host may route it to the IPv4.
    ['::127.0.0.1', 'ipv4-compatible'],
    ['::808:808', 'ipv4-compatible'],
    // 6to4 (2002::/16) embeds an IPv4 a relay would reach.
    ['2002:7f00:1::1', '6to4'],
    ['2002:808:808::1', '6to4'],
    // Local-use NAT64 (64:ff9b:1::/48): translated by the operator's own gateway.
    ['64:ff9b:1::a00:1', 'ipv4-translated'],
    ['64:ff9b:1::808:808', 'ipv4-translated'],
    // Site-local (fec0::/10), deprecated but still routed by some networks.
    ['fec0::1', 'site-local'],
    ['feff::1', 'site-local'],
    ['2001:0:4136:e378::1', 'teredo'],
    ['100::1', 'discard'],
  ])('refuses %s as %s', (address, reason) => {
    expect(guard.refusal(address)).toBe(reason);
  });

  it.each([
    ['169.254.169.254', 'AWS, GCP, Azure, Oracle IMDS'],
    ['169.254.170.2', 'AWS ECS task credentials'],
    ['169.254.170.23', 'AWS EKS Pod Identity'],
    ['fd00:ec2::254', 'AWS IMDS over IPv6'],
    ['fd00:ec2::23', 'AWS EKS Pod Identity over IPv6'],
    ['fd20:ce::254', 'GCP over IPv6'],
    ['168.63.129.16', 'Azure WireServer, a public address'],
    ['192.0.0.192', 'Oracle Cloud Classic'],
    ['fd00:c1::a9fe:a9fe', 'Oracle Cloud Infrastructure over IPv6'],
    ['100.100.100.200', 'Alibaba Cloud'],
    ['169.254.0.23', 'Tencent Cloud'],
    ['::ffff:169.254.169.254', 'the IPv4-mapped form'],
    ['64:ff9b::a9fe:a9fe', 'the well-known NAT64 form'],
    ['64:ff9b::169.254.169.254', 'the NAT64 form written dotted'],
  ])('refuses the metadata address %s (%s), even when the allow-list covers it', (address) => {
    expect(guard.refusal(address)).toBe('metadata');
    const generous = new UrlGuard(['0.0.0.0/0', '::/0']);
    expect(generous.refusal(address)).toBe('metadata');
  });

  it('judges a well-known NAT64 address (64:ff9b::/96) by the IPv4 address it embeds', () => {
    expect(guard.refusal('64:ff9b::7f00:1')).toBe('loopback');
    expect(guard.refusal('64:ff9b::10.0.0.1')).toBe('private');
    expect(guard.refusal('64:ff9b::c0a8:101')).toBe('private');
    expect(guard.refusal('64:ff9b::')).toBe('unspecified');
    // A public IPv4 behind NAT64 is as reachable as the IPv4 itself: IPv6-only hosts send webhooks this way.
    expect(guard.refusal('64:ff9b::5db8:d822')).toBeUndefined();
    expect(guard.refusal('64:ff9b::93.184.216.34')).toBeUndefined();
    // The allow-list applies to the embedded address as it does to the address itself.
    expect(new UrlGuard(['10.0.0.0/8']).refusal('64:ff9b::a00:1')).toBeUndefined();
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
    expect(await refusedReason(guard.checkUrl('http://[::127.0.0.1]/'))).toBe('ipv4-compatible');
    expect(await refusedReason(guard.checkUrl('http://[fd00:ec2::254]/latest/meta-data/'))).toBe('metadata');
    expect(await refusedReason(guard.checkUrl('http://[64:ff9b::169.254.169.254]/'))).toBe('metadata');

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

describe('UrlGuard at delivery', () => {
  const answers = (initial: string[]) => {
    const dns = { addresses: initial, lookups: 0, fail: false };
    const resolver = async () => {
      dns.lookups += 1;
      if (dns.fail) throw new Error('SERVFAIL');
      return dns.addresses.map((address) => ({ address, family: 4 as const }));
    };
    return { dns, resolver };
  };

  it('asks DNS once for many deliveries to a host, and again once the answer is older than its time to live', async () => {
    const { dns, resolver } = answers(['93.184.216.34']);
    const clock = { ms: 1_000, now: () => clock.ms };
    const guard = new UrlGuard([], resolver, { resolvedTtlMs: 10_000, clock });
    const url = new URL('https://hooks.example/in');
    const first = await Promise.all([guard.resolve(url), guard.resolve(url), guard.resolve(url)]);
    expect(first.map((resolved) => resolved.address)).toEqual(['93.184.216.34', '93.184.216.34', '93.184.216.34']);
    dns.addresses = ['93.184.216.35'];
    clock.ms = 10_000;
    expect((await guard.resolve(url)).address).toBe('93.184.216.34');
    expect(dns.lookups).toBe(1);
    clock.ms = 11_001;
    expect((await guard.resolve(url)).address).toBe('93.184.216.35');
    expect(dns.lookups).toBe(2);
  });

  it('judges reused addresses at every delivery, and does not keep failed lookups', async () => {
    const { dns, resolver } = answers(['10.0.0.7']);
    const guard = new UrlGuard([], resolver);
    const url = new URL('https://inside.example/in');
    expect(await refusedReason(guard.resolve(url))).toBe('private');
    expect(await refusedReason(guard.resolve(url))).toBe('private');
    expect(dns.lookups).toBe(1);

    const flaky = answers(['93.184.216.34']);
    flaky.dns.fail = true;
    const other = new UrlGuard([], flaky.resolver);
    const host = new URL('https://flaky.example/in');
    await expect(other.resolve(host)).rejects.toThrow('SERVFAIL');
    flaky.dns.fail = false;
    expect((await other.resolve(host)).address).toBe('93.184.216.34');
    expect(flaky.dns.lookups).toBe(2);
  });
});
