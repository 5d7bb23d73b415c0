import { BlockList, isIP } from 'node:net';

/**
 * Where Steward may send webhooks. Pure rules (no I/O): the URL a subscription names, checked when it is
 * saved, and every address its host resolves to, checked before each attempt (SSRF protection: a public
 * name that resolves to 127.0.0.1, 10.x or the cloud metadata address 169.254.169.254 is refused).
 */
export type UrlPolicy = {
  /** `http:` to loopback hosts, and loopback addresses (STEWARD_WEBHOOKS_ALLOW_LOOPBACK: tests, local bridges). */
  allowLoopback: boolean;
  /** Private networks: 10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7 (STEWARD_WEBHOOKS_ALLOW_PRIVATE). */
  allowPrivate: boolean;
};

export type AddressKind = 'public' | 'loopback' | 'private' | 'link-local' | 'reserved';

const lists: Array<[Exclude<AddressKind, 'public'>, BlockList]> = [];
function list(kind: Exclude<AddressKind, 'public'>, v4: string[], v6: string[]) {
  const b = new BlockList();
  for (const cidr of v4) {
    const [net, bits] = cidr.split('/');
    b.addSubnet(net!, Number(bits), 'ipv4');
  }
  for (const cidr of v6) {
    const [net, bits] = cidr.split('/');
    b.addSubnet(net!, Number(bits), 'ipv6');
  }
  lists.push([kind, b]);
}
list('loopback', ['127.0.0.0/8'], ['::1/128']);
list('private', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'], ['fc00::/7']);
list('link-local', ['169.254.0.0/16'], ['fe80::/10']);
list(
  'reserved',
  [
    '0.0.0.0/8',
    '192.0.0.0/24',
    '192.0.2.0/24',
    '198.18.0.0/15',
    '198.51.100.0/24',
    '203.0.113.0/24',
    '224.0.0.0/4',
    '240.0.0.0/4',
  ],
  ['::/128', 'ff00::/8', '64:ff9b::/96', '2001:db8::/32', '100::/64'],
);

/** What kind of address this is; IPv4-mapped IPv6 (`::ffff:127.0.0.1`) counts as its IPv4 address. */
export function classifyAddress(address: string): AddressKind {
  let ip = address.replace(/^\[|\]$/g, '').toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (mapped) ip = mapped[1]!;
  const family = isIP(ip);
  if (family === 0) return 'reserved';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const [kind, b] of lists) if (b.check(ip, type)) return kind;
  return 'public';
}

/** Null when Steward may connect to this address under the policy, else why not. */
export function addressRefusal(address: string, policy: UrlPolicy): string | null {
  const kind = classifyAddress(address);
  if (kind === 'public') return null;
  if (kind === 'loopback' && policy.allowLoopback) return null;
  if (kind === 'private' && policy.allowPrivate) return null;
  return `${address} is a ${kind} address: webhooks go to public addresses only`;
}

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
const isLoopbackName = (host: string) =>
  host === 'localhost' || host.endsWith('.localhost') || classifyAddress(host) === 'loopback';

/**
 * The rules for a subscription's URL (or a direct call's): `https:`, or `http:` to a loopback host when
 * loopback is allowed; no user name or password in it; an IP literal must be an allowed address.
 * Returns the normalised URL, or why it is refused.
 */
export function checkWebhookUrl(
  raw: string,
  policy: UrlPolicy,
): { ok: true; url: string } | { ok: false; message: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, message: 'Not a valid absolute URL' };
  }
  if (url.username || url.password) {
    return { ok: false, message: 'The URL may not contain a user name or password' };
  }
  const host = hostOf(url);
  if (!host) return { ok: false, message: 'The URL has no host' };
  if (url.protocol === 'http:') {
    if (!(policy.allowLoopback && isLoopbackName(host))) {
      return { ok: false, message: 'Webhook URLs must use https:' };
    }
  } else if (url.protocol !== 'https:') {
    return { ok: false, message: 'Webhook URLs must use https:' };
  }
  if (isIP(host)) {
    const refusal = addressRefusal(host, policy);
    if (refusal) return { ok: false, message: refusal };
  }
  url.hash = '';
  return { ok: true, url: url.toString() };
}
