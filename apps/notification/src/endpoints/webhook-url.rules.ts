import { Resolver } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

export interface UrlPolicy {
  allowInsecure: boolean;
  allowPrivate: boolean;
}

export type ResolveHost = (host: string) => Promise<string[]>;

/**
 * Where a webhook may never go in production (SSRF): this host, the cluster's private networks, the cloud
 * metadata services (169.254.169.254; Alibaba's 100.100.100.200 sits in 100.64/10) and non-unicast space.
 * IPv6 forms that carry an IPv4 address are refused whole, whatever that address: IPv4-compatible (::/96, which
 * also holds :: and ::1), IPv4-mapped (::ffff:0:0/96: the socket would reach the IPv4 address itself) and
 * local-use NAT64 (64:ff9b:1::/48, translated inside the operator's own network). Only the well-known NAT64
 * prefix 64:ff9b::/96 is judged by the IPv4 address it carries.
 */
const FORBIDDEN_V4 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) FORBIDDEN_V4.addSubnet(network, prefix, 'ipv4');
// A list of its own: BlockList matches IPv4 addresses against ::ffff:0:0/96, which would refuse every IPv4.
const FORBIDDEN_V6 = new BlockList();
for (const [network, prefix] of [
  ['::', 96], ['::ffff:0:0', 96], ['64:ff9b:1::', 48], ['100::', 64], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
  // Deprecated tunnels that embed an IPv4 address anywhere: 6to4 and Teredo.
  ['2002::', 16], ['2001::', 32], ['2001:db8::', 32],
] as const) FORBIDDEN_V6.addSubnet(network, prefix, 'ipv6');

/** NAT64 (64:ff9b::/96) carries an IPv4 address in its last 32 bits: judge that address. */
function embeddedIpv4(address: string): string | null {
  const dotted = /^64:ff9b::(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (dotted) return dotted[1];
  const hex = /^64:ff9b::([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return null;
  const [high, low] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family === 0) return true;
  const nat64 = family === 6 ? embeddedIpv4(bare) : null;
  if (nat64) return isPrivateAddress(nat64);
  return family === 4 ? FORBIDDEN_V4.check(bare, 'ipv4') : FORBIDDEN_V6.check(bare, 'ipv6');
}

/**
 * Pure: what is wrong with a webhook URL, given the addresses its host resolves to; null when it may be used.
 * Parsing with WHATWG URL first turns tricks such as http://2130706433/ or http://0x7f.1/ into 127.0.0.1.
 */
export function judgeWebhookUrl(raw: string, addresses: string[], policy: UrlPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'url must be an absolute http(s) URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'url must be an http(s) URL';
  if (url.protocol === 'http:' && !policy.allowInsecure) return 'url must use https';
  // Credentials in a URL end up in logs and proxies; the signature is what authenticates us.
  if (url.username || url.password) return 'url must not carry credentials';
  if (policy.allowPrivate) return null;
  if (addresses.length === 0) return 'url host does not resolve';
  if (addresses.some(isPrivateAddress)) return 'url must not point at a private, loopback or link-local address';
  return null;
}

/**
 * Asks DNS itself (c-ares: asynchronous, off libuv's four-thread pool, so a slow name server cannot hold up other
 * lookups) with a bounded wait: 2 tries of 1 s. No /etc/hosts: a webhook host is a public name. Only used when
 * private addresses are refused (WEBHOOK_ALLOW_PRIVATE=false); locally, sends resolve as any other socket does.
 */
const resolver = new Resolver({ timeout: 1_000, tries: 2 });

export const resolveHost: ResolveHost = async (host) => {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare)) return [bare];
  const answers = await Promise.allSettled([resolver.resolve4(bare), resolver.resolve6(bare)]);
  return answers.flatMap((answer) => (answer.status === 'fulfilled' ? answer.value : []));
};

/** Resolves the URL's host (only when private addresses are refused) and judges it. */
export async function checkWebhookUrl(raw: string, policy: UrlPolicy, resolve: ResolveHost = resolveHost): Promise<string | null> {
  const formProblem = judgeWebhookUrl(raw, [], { ...policy, allowPrivate: true });
  if (formProblem || policy.allowPrivate) return formProblem;
  return judgeWebhookUrl(raw, await resolve(new URL(raw).hostname), policy);
}
