/**
 * Who is asking: the portal finds a subscriber by the request's source address, and the admin API throttles
 * sign-ins and audits by it, so that address must not be forgeable (both use this file; it lives in http/, which
 * the portal imports). X-Forwarded-For is read only when the peer is a configured trusted proxy, and then from the right:
 * the client is the first hop, walking back, that is not itself a trusted proxy. The proxy list is compiled
 * once into a node:net BlockList.
 */
import { BlockList } from 'node:net';
import { ipFamily } from '../schema/index.js';

/** IPv4-mapped IPv6 (::ffff:a.b.c.d, as a dual-stack socket reports IPv4 peers) → a.b.c.d; zone ids dropped. */
export function normalizeAddress(address: string): string {
  let a = address.trim();
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1);
  const zone = a.indexOf('%');
  if (zone >= 0) a = a.slice(0, zone);
  if (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(a)) a = a.slice(7);
  return a.toLowerCase();
}

export class ClientAddressResolver {
  private readonly trusted = new BlockList();
  private readonly any: boolean;

  /** `proxies`: addresses or CIDRs (validated by the config schema). */
  constructor(proxies: readonly string[]) {
    for (const p of proxies) {
      const [addr = '', prefix] = p.split('/');
      const family = ipFamily(addr) === 6 ? 'ipv6' : 'ipv4';
      const address = normalizeAddress(addr);
      const type = ipFamily(address) === 6 ? 'ipv6' : 'ipv4';
      if (prefix === undefined) this.trusted.addAddress(address, type);
      else this.trusted.addSubnet(address, Math.max(0, Number(prefix) - (family === 'ipv6' && type === 'ipv4' ? 96 : 0)), type);
    }
    this.any = proxies.length > 0;
  }

  isTrusted(address: string): boolean {
    if (!this.any) return false;
    const a = normalizeAddress(address);
    const family = ipFamily(a);
    return family !== 0 && this.trusted.check(a, family === 6 ? 'ipv6' : 'ipv4');
  }

  /**
   * The client address of a request from `peer` carrying `forwardedFor` (X-Forwarded-For, possibly several
   * headers joined by commas). Undefined when the chain names something that is not an address.
   */
  resolve(peer: string | undefined, forwardedFor: string | string[] | undefined): string | undefined {
    if (peer === undefined) return undefined;
    let client = normalizeAddress(peer);
    if (ipFamily(client) === 0) return undefined;
    if (!this.isTrusted(client) || forwardedFor === undefined) return client;
    const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
      .split(',')
      .map((h) => h.trim())
      .filter((h) => h !== '');
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = normalizeAddress(hops[i] as string);
      // A malformed hop from a trusted proxy is not guessed around: nobody is identified.
      if (ipFamily(hop) === 0) return undefined;
      client = hop;
      if (!this.isTrusted(hop)) return hop;
    }
    return client;
  }
}
