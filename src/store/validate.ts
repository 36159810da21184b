/**
 * Input checks the repositories make before SQL, so a bad value fails with a RangeError naming the field
 * instead of a database error. The schema's CHECK constraints hold the same rules for direct SQL writers.
 */
import { isIP } from 'node:net';

function fail(field: string, message: string): never {
  throw new RangeError(`${field}: ${message}`);
}

export function nonEmpty(field: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0) fail(field, 'must be a non-empty string');
  return value;
}

/** A non-negative safe integer (money in minor units, bytes, kbps). */
export function count(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) fail(field, `must be a non-negative integer, got ${value}`);
  return value;
}

export function intInRange(field: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) fail(field, `must be an integer in ${min}..${max}, got ${value}`);
  return value;
}

export function oneOf<T extends string>(field: string, value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value)) fail(field, `must be one of ${allowed.join(', ')}, got ${String(value)}`);
  return value;
}

/** An IPv4/IPv6 address or CIDR. */
export function addressOrCidr(field: string, value: string): string {
  const [address, bits, extra] = value.split('/');
  const family = address !== undefined ? isIP(address) : 0;
  const maxBits = family === 4 ? 32 : 128;
  const bitsOk = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits);
  if (family === 0 || !bitsOk || extra !== undefined) fail(field, `must be an IP address or CIDR, got ${value}`);
  return value;
}

export function hostAddress(field: string, value: string): string {
  if (isIP(value) === 0) fail(field, `must be an IP address, got ${value}`);
  return value;
}

/** 32 hex digits, returned lower-case (the form stored and returned). */
export function ntHash(field: string, value: string): string {
  if (!/^[0-9a-fA-F]{32}$/.test(value)) fail(field, 'must be 32 hex digits');
  return value.toLowerCase();
}

/** aa:bb:cc:dd:ee:ff from the usual spellings (colons, dashes, Cisco dots, bare hex), or a RangeError. */
export function macAddress(field: string, value: string): string {
  const hex = value.replace(/[:.-]/g, '').toLowerCase();
  if (!/^[0-9a-f]{12}$/.test(hex)) fail(field, `must be a MAC address, got ${value}`);
  return [0, 2, 4, 6, 8, 10].map((i) => hex.slice(i, i + 2)).join(':');
}

export function pageRequest(limit: number, offset: number): void {
  intInRange('limit', limit, 0, 10_000);
  count('offset', offset);
}
