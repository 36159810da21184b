/**
 * IP address and CIDR text, parsed without node:net so the schema stays pure: one parser for every entry point
 * (config, API, CLI/CSV through the store) and for the NAS table, which matches packets by the same numbers.
 * Strict on purpose: no zone index (`fe80::1%eth0`), no leading zeros in a dotted quad, no `10.0.0/8`.
 */

export type Family = 4 | 6;

/** An address as its family and its value as an unsigned integer (32 or 128 bits). */
export interface ParsedAddress {
  readonly family: Family;
  readonly value: bigint;
}

/** A network: the address as written and its prefix length (32/128 for a single address). */
export interface ParsedCidr extends ParsedAddress {
  readonly prefix: number;
}

const OCTET = /^(?:0|[1-9]\d{0,2})$/;
const GROUP = /^[0-9A-Fa-f]{1,4}$/;

function parseIPv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!OCTET.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseGroups(text: string): bigint[] | undefined {
  if (text === '') return [];
  const out: bigint[] = [];
  for (const g of text.split(':')) {
    if (!GROUP.test(g)) return undefined;
    out.push(BigInt(parseInt(g, 16)));
  }
  return out;
}

function parseIPv6(text: string): bigint | undefined {
  let body = text;
  let tail: bigint[] = [];
  // An embedded dotted quad in the last 32 bits (::ffff:192.0.2.1).
  const lastColon = body.lastIndexOf(':');
  if (lastColon >= 0 && body.slice(lastColon + 1).includes('.')) {
    const v4 = parseIPv4(body.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = [v4 >> 16n, v4 & 0xffffn];
    body = body.slice(0, lastColon + 1);
    // "::1.2.3.4" leaves "::", "64:ff9b::1.2.3.4" leaves "64:ff9b::": a single trailing colon needs its pair.
    if (body.endsWith(':') && !body.endsWith('::')) body = body.slice(0, -1);
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  let groups: bigint[];
  if (halves.length === 2) {
    const head = parseGroups(halves[0] ?? '');
    const rest = parseGroups(halves[1] ?? '');
    if (!head || !rest) return undefined;
    const missing = 8 - head.length - rest.length - tail.length;
    if (missing < 1) return undefined;
    groups = [...head, ...Array<bigint>(missing).fill(0n), ...rest, ...tail];
  } else {
    const all = parseGroups(body);
    if (!all) return undefined;
    groups = [...all, ...tail];
    if (groups.length !== 8) return undefined;
  }
  let value = 0n;
  for (const g of groups) value = (value << 16n) | g;
  return value;
}

/** An IPv4 or IPv6 address (no prefix, no zone), or undefined. */
export function parseAddress(text: string): ParsedAddress | undefined {
  if (text.includes(':')) {
    const value = parseIPv6(text);
    return value === undefined ? undefined : { family: 6, value };
  }
  const value = parseIPv4(text);
  return value === undefined ? undefined : { family: 4, value };
}

/** 4 or 6 for an address, 0 otherwise: the answer node:net's isIP gives, from this module's stricter parser. */
export function ipFamily(text: string): 0 | Family {
  return parseAddress(text)?.family ?? 0;
}

/** Why a CIDR text was refused; `hostBits` carries the network the operator probably meant. */
export type CidrProblem =
  | { readonly kind: 'address' }
  | { readonly kind: 'prefix'; readonly prefixText: string; readonly bits: number }
  | { readonly kind: 'hostBits'; readonly network: string };

/**
 * An address or `address/prefix` whose prefix fits the family and leaves no host bits set
 * (10.0.0.0/8, not 10.1.2.3/8: the NAS table would otherwise match a network nobody wrote).
 */
export function parseCidr(text: string): { ok: true; value: ParsedCidr } | { ok: false; problem: CidrProblem } {
  const slash = text.indexOf('/');
  const address = parseAddress(slash < 0 ? text : text.slice(0, slash));
  if (!address) return { ok: false, problem: { kind: 'address' } };
  const bits = address.family === 4 ? 32 : 128;
  if (slash < 0) return { ok: true, value: { ...address, prefix: bits } };
  const prefixText = text.slice(slash + 1);
  if (!/^(?:0|[1-9]\d{0,2})$/.test(prefixText) || Number(prefixText) > bits) return { ok: false, problem: { kind: 'prefix', prefixText, bits } };
  const prefix = Number(prefixText);
  const hostBits = BigInt(bits - prefix);
  if (hostBits > 0n && (address.value & ((1n << hostBits) - 1n)) !== 0n) {
    return { ok: false, problem: { kind: 'hostBits', network: `${addressText(address.family, (address.value >> hostBits) << hostBits)}/${prefix}` } };
  }
  return { ok: true, value: { ...address, prefix } };
}

/** The canonical text of an address: dotted quad, or RFC 5952 IPv6 (lower case, longest zero run collapsed). */
export function addressText(family: Family, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((value >> s) & 0xffffn).toString(16));
  let best = { at: -1, len: 1 };
  for (let i = 0; i < groups.length; ) {
    let j = i;
    while (groups[j] === '0') j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j === i ? i + 1 : j;
  }
  if (best.at < 0) return groups.join(':');
  return `${groups.slice(0, best.at).join(':')}::${groups.slice(best.at + best.len).join(':')}`;
}
