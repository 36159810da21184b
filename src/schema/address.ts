/**
 * IP address and CIDR text for every entry point (config, API, CLI/CSV through the store), on the codec's one
 * address parser (radius/primitives, which the NAS table matches packets with), so the schema stays pure and the
 * numbers agree. Strict on purpose: no zone index (`fe80::1%eth0`), no leading zeros in a dotted quad, no
 * `10.0.0/8`, no host bits in a CIDR.
 */
import { addressText as radiusAddressText, addressToBigInt } from '../radius/primitives.js';

/** ::ffff:0:0/96, where IPv4-mapped IPv6 addresses live. */
const IPV4_MAPPED = 0xffffn << 32n;

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

/** An IPv4 or IPv6 address (no prefix, no zone), or undefined. */
export function parseAddress(text: string): ParsedAddress | undefined {
  // The codec's parser (radius/primitives), stricter here: an operator writes no zone index, and an IPv4-mapped
  // address stays the IPv6 address written (the codec reads it as the IPv4 peer a dual-stack socket reports).
  if (text.includes('%')) return undefined;
  const parsed = addressToBigInt(text);
  if (parsed === undefined) return undefined;
  if (parsed.family === 4 && text.includes(':')) return { family: 6, value: IPV4_MAPPED | parsed.value };
  return parsed;
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
export const addressText: (family: Family, value: bigint) => string = radiusAddressText;
