/**
 * Input checks the repositories make before SQL, so a bad value fails with a RangeError naming the field
 * instead of a database error. The schema's CHECK constraints hold the same rules for direct SQL writers.
 *
 * NAS clients and subscribers are checked against the shared field schema (src/schema/resources.ts), the one the
 * admin API validates its bodies with: whatever writes through the store (the CLI, the CSV and FreeRADIUS imports)
 * refuses exactly what the API refuses — a NAS CIDR with host bits, a short secret, an IPv6 framed IP (only
 * Framed-IP-Address is sent), a username beyond 253 characters.
 */
import { nasFields, SchemaError, subscriberFields, validateObject, type Shape } from '../schema/index.js';

/**
 * Checks the fields `input` carries (absent ones are the store's defaults) against `shape`; a SchemaError (a
 * RangeError) naming every bad field otherwise. Unknown keys are refused too.
 */
export function checkFields(shape: Shape, input: object): void {
  const r = validateObject(shape, input, 'patch');
  if (!r.ok) throw new SchemaError(r.issues);
}

/** A NAS create or patch, by the API's rules. */
export function checkNas(input: object): void {
  checkFields(nasFields, input);
}

/** A subscriber create or patch, by the API's rules. */
export function checkSubscriber(input: object): void {
  checkFields(subscriberFields, input);
}

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

// Single values by the shared schema's rules (src/schema/checks.ts); the CLI imports them from there.
export { addressOrCidr, hostAddress, macAddress, ntHash } from '../schema/checks.js';

export function pageRequest(limit: number, offset: number): void {
  intInRange('limit', limit, 0, 10_000);
  count('offset', offset);
}
