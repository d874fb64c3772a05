import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { LRUCache } from 'lru-cache';
import { WebhookUrlRefused } from '../webhook.errors';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has; injectable so tests can fake DNS. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({
    address,
    family: family === 6 ? 6 : 4,
  }));

// Cloud metadata and platform services: refused even when the allow-list covers them (a lab
// that allows 100.64.0.0/10 or fd00::/8 must not reach Alibaba's or AWS's metadata), and named
// as such though most sit inside link-local or unique-local ranges. Azure's WireServer is a
// public address, so only this list refuses it.
const metadataAddresses = [
  '169.254.169.254/32', // AWS, GCP, Azure, Oracle, DigitalOcean, OpenStack, Hetzner
  '169.254.170.2/32', // AWS ECS task metadata and credentials
  '169.254.170.23/32', // AWS EKS Pod Identity agent
  '169.254.0.23/32', // Tencent Cloud
  '100.100.100.200/32', // Alibaba Cloud
  '168.63.129.16/32', // Azure WireServer
  '192.0.0.192/32', // Oracle Cloud (Classic, Cloud@Customer)
  'fd00:ec2::/32', // AWS IPv6 services: IMDS fd00:ec2::254, EKS Pod Identity fd00:ec2::23
  'fd20:ce::254/128', // GCP
  'fd00:c1::a9fe:a9fe/128', // Oracle Cloud Infrastructure
];

// Checked in order, first match names the reason.
const refusedRanges: [reason: string, cidr: string][] = [
  ['unspecified', '0.0.0.0/8'],
  ['private', '10.0.0.0/8'],
  ['cgnat', '100.64.0.0/10'],
  ['loopback', '127.0.0.0/8'],
  ['link-local', '169.254.0.0/16'],
  ['private', '172.16.0.0/12'],
  ['reserved', '192.0.0.0/24'],
  ['documentation', '192.0.2.0/24'],
  ['private', '192.168.0.0/16'],
  ['benchmarking', '198.18.0.0/15'],
  ['documentation', '198.51.100.0/24'],
  ['documentation', '203.0.113.0/24'],
  ['multicast', '224.0.0.0/4'],
  ['reserved', '240.0.0.0/4'],
  ['unspecified', '::/128'],
  ['loopback', '::1/128'],
  // Deprecated IPv4-compatible addresses (::a.b.c.d): a dual-stack host may route them to the IPv4.
  ['ipv4-compatible', '::/96'],
  ['discard', '100::/64'],
  // Local-use NAT64 (RFC 8215): translated by the operator's own gateway, to anything behind it.
  ['ipv4-translated', '64:ff9b:1::/48'],
  ['teredo', '2001::/32'],
  ['documentation', '2001:db8::/32'],
  // 6to4 embeds an IPv4 that a relay (or the host itself) would reach: a tunnel to anywhere.
  ['6to4', '2002::/16'],
  ['unique-local', 'fc00::/7'],
  ['link-local', 'fe80::/10'],
  ['site-local', 'fec0::/10'],
  ['multicast', 'ff00::/8'],
];

const familyOf = (address: string): 'ipv4' | 'ipv6' => (isIP(address) === 6 ? 'ipv6' : 'ipv4');

function subnetList(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address, bits] = cidr.split('/');
    const type = familyOf(address);
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(bits), type);
  }
  return list;
}

const metadata = subnetList(metadataAddresses);
const mapped = subnetList(['::ffff:0:0/96']);
const wellKnownNat64 = subnetList(['64:ff9b::/96']);

const ranges = refusedRanges.map(([reason, cidr]) => ({
  reason,
  type: familyOf(cidr.split('/')[0]),
  list: subnetList([cidr]),
}));

/** The IPv4 address in the last 32 bits of an IPv6 address. */
function embeddedIpv4(address: string): string {
  // The URL parser writes any IPv6 form (dotted tail included) as compressed hex.
  const hex = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const [head, tail] = hex.split('::');
  const groups = tail === undefined ? head.split(':') : [...head.split(':').filter(Boolean), ...Array(8).fill('0'), ...tail.split(':').filter(Boolean)];
  const [high, low] = groups.slice(-2).map((group) => parseInt(group || '0', 16));
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/**
 * Decides which addresses webhooks may reach: public ones, plus whatever the operator's
 * allow-list (WEBHOOK_ALLOWED_HOSTS) names. Used when an endpoint is saved and again at
 * every delivery on the host's addresses (resolved at most `resolvedTtlMs` before), which
 * are then the ones connected to.
 */
export class UrlGuard {
  private readonly allowed: BlockList;
  /** Each address's verdict ('' when allowed): fixed for this guard, and checked at every delivery. */
  private readonly verdicts = new LRUCache<string, string>({ max: 10_000 });
  /**
   * Each host's addresses, asked of DNS at most once per `resolvedTtlMs`: every delivery to a
   * named host was a lookup, and concurrent deliveries to it share one. Reuse is safe: the
   * addresses are judged again at every use, and the socket connects to the judged one.
   */
  private readonly resolved: LRUCache<string, Promise<ResolvedAddress[]>>;

  constructor(
    allowedHosts: readonly string[],
    private readonly resolver: Resolver = systemResolver,
    { resolvedTtlMs = 10_000, clock }: { resolvedTtlMs?: number; clock?: { now(): number } } = {},
  ) {
    this.allowed = subnetList(allowedHosts);
    this.resolved = new LRUCache({ max: 10_000, ttl: resolvedTtlMs, ...(clock ? { perf: clock, ttlResolution: 0 } : {}) });
  }

  /** Why `address` may not be reached, or undefined when it may. */
  refusal(address: string): string | undefined {
    const type = familyOf(address);
    if (metadata.check(address, type)) return 'metadata';
    if (type === 'ipv6') {
      // Mapped addresses are refused outright: the allow-list would otherwise match them as IPv4.
      if (mapped.check(address, 'ipv6')) return 'ipv4-mapped';
      // A NAT64 gateway reaches exactly the embedded IPv4, so that address is judged instead
      // (IPv6-only hosts reach IPv4-only receivers this way).
      if (wellKnownNat64.check(address, 'ipv6')) return this.refusal(embeddedIpv4(address));
    }
    if (this.allowed.check(address, type)) return undefined;
    return ranges.find((range) => range.type === type && range.list.check(address, type))?.reason;
  }

  /** Checks scheme and host of an endpoint URL when it is saved; a host that does not resolve yet is checked at delivery. */
  async checkUrl(raw: string): Promise<URL> {
    const url = this.parse(raw);
    const host = hostOf(url);
    if (isIP(host)) {
      this.assertAllowed(host, host);
      return url;
    }
    const addresses = await this.resolver(host).catch(() => []);
    for (const { address } of addresses) this.assertAllowed(host, address);
    return url;
  }

  /**
   * The one address a delivery connects to: every address the host resolves to must be
   * allowed (a name with one private address among public ones is refused), then the first is used.
   */
  async resolve(url: URL): Promise<ResolvedAddress> {
    const host = hostOf(url);
    const literal = isIP(host);
    const addresses: ResolvedAddress[] = literal ? [{ address: host, family: literal === 6 ? 6 : 4 }] : await this.lookup(host);
    if (addresses.length === 0) throw new Error(`${host} has no addresses`);
    for (const { address } of addresses) this.assertAllowed(host, address);
    return addresses[0];
  }

  private lookup(host: string): Promise<ResolvedAddress[]> {
    let addresses = this.resolved.get(host);
    if (!addresses) {
      const asked = this.resolver(host);
      addresses = asked;
      this.resolved.set(host, asked);
      // A failed lookup, or one without addresses, is asked again next time rather than kept.
      const forget = () => void (this.resolved.peek(host) === asked && this.resolved.delete(host));
      asked.then((found) => found.length === 0 && forget(), forget);
    }
    return addresses;
  }

  parse(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new WebhookUrlRefused('invalid', 'not an absolute URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new WebhookUrlRefused('scheme', `only http and https are allowed, got ${url.protocol}`);
    }
    if (url.username || url.password) throw new WebhookUrlRefused('credentials', 'put credentials in headers, not in the URL');
    return url;
  }

  private assertAllowed(host: string, address: string): void {
    let verdict = this.verdicts.get(address);
    if (verdict === undefined) {
      verdict = this.refusal(address) ?? '';
      this.verdicts.set(address, verdict);
    }
    const reason = verdict || undefined;
    if (reason) {
      const via = host === address ? '' : ` (${host} resolves to it)`;
      throw new WebhookUrlRefused(reason, `${address}${via} is a ${reason} address`);
    }
  }
}

/** The URL's host without IPv6 brackets. */
const hostOf = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');
