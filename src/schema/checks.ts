/**
 * One value checked against one field of the shared schema, for code that takes values one by one rather than
 * as an object (the store's checks, the CLI's CSV cells): the normalised value, or a SchemaError (a RangeError)
 * naming `field`, in the form `mac: must be a MAC address …`.
 */
import { ipFamily } from './address.js';
import type { Field } from './field.js';
import { addressOrCidr as cidrField, mac as macField, ntHash as ntHashField } from './fields.js';
import { SchemaError } from './issues.js';

function checkOne<T>(schema: Field<T, 'required'>, field: string, value: unknown): T {
  const r = schema.check(value);
  if (!r.ok) throw new SchemaError([{ key: field, message: r.message }]);
  return r.value;
}

const CIDR = cidrField('');
const MAC = macField('');
const NT_HASH = ntHashField('');

/** An IPv4/IPv6 address or CIDR, no host bits set. */
export function addressOrCidr(field: string, value: string): string {
  return checkOne(CIDR, field, value);
}

/** An IPv4 or IPv6 address (sessions carry either). */
export function hostAddress(field: string, value: string): string {
  if (ipFamily(value) === 0) throw new SchemaError([{ key: field, message: `must be an IP address, got ${value}` }]);
  return value;
}

/** 32 hex digits, returned lower-case (the form stored and returned). */
export function ntHash(field: string, value: string): string {
  return checkOne(NT_HASH, field, value);
}

/** aa:bb:cc:dd:ee:ff from the usual spellings (colons, dashes, Cisco dots, bare hex). */
export function macAddress(field: string, value: string): string {
  return checkOne(MAC, field, value);
}
