/**
 * Field definitions for request bodies and query strings. One definition gives the validator (`parse`), the
 * TypeScript type of the validated value and the JSON Schema the OpenAPI document is generated from, so the
 * three cannot drift apart.
 */
import { isIP } from 'node:net';
import { MONEY_LIMIT } from '../../store/money.js';
import { addressText, addressToBigInt } from '../../radius/primitives.js';

/** The subset of JSON Schema 2020-12 the API uses. */
export interface JsonSchema {
  readonly type?: string | readonly string[];
  readonly description?: string;
  readonly enum?: readonly unknown[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly format?: string;
  readonly default?: unknown;
  readonly readOnly?: boolean;
  readonly writeOnly?: boolean;
  readonly examples?: readonly unknown[];
  readonly items?: JsonSchema;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean;
  readonly minProperties?: number;
  readonly $ref?: string;
  readonly not?: JsonSchema;
  readonly const?: unknown;
}

/**
 * A failure may name an error code other than VALIDATION_FAILED: `AMOUNT_OUT_OF_RANGE` for money beyond ±10^15,
 * which the validator answers with a 422 when it is the only kind of problem in the request.
 */
export type Check<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly message: string; readonly code?: 'AMOUNT_OUT_OF_RANGE' };

const ok = <T>(value: T): Check<T> => ({ ok: true, value });
const fail = <T>(message: string): Check<T> => ({ ok: false, message });

/** How a value looks in a message: `got string "12"`, `got 1.5`, `got null`. */
export function describeValue(v: unknown): string {
  if (v === null) return 'got null';
  if (Array.isArray(v)) return 'got an array';
  if (typeof v === 'object') return 'got an object';
  if (typeof v === 'string') return `got string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'number') return `got ${v}`;
  if (typeof v === 'boolean') return `got boolean ${v}`;
  return `got ${typeof v}`;
}

/**
 * Whether a create request must carry the field (`required`), may leave it out (`optional`: the store decides),
 * or gets a documented default when it is left out (`defaulted`).
 */
export type Presence = 'required' | 'optional' | 'defaulted';

/** Like describeValue without the value: `got a string`, `got a number`. */
function describeType(v: unknown): string {
  if (v === null) return 'got null';
  if (Array.isArray(v)) return 'got an array';
  return `got ${typeof v === 'object' ? 'an object' : `a ${typeof v}`}`;
}

/** A validated field: value type `T`, presence `P`. */
export class Field<T, P extends Presence = Presence> {
  constructor(
    readonly schema: JsonSchema,
    /** Checks a present, non-null value. Messages do not repeat the field name; the validator prefixes it. */
    readonly check: (value: unknown) => Check<T>,
    readonly presence: P,
    readonly nullable: boolean = false,
    readonly defaultValue: T | undefined = undefined,
    readonly writeOnly: boolean = false,
  ) {}

  /** Absent on create is fine (the store decides, or null). */
  optional(): Field<T, 'optional'> {
    return new Field(this.schema, this.check, 'optional', this.nullable, this.defaultValue, this.writeOnly);
  }

  /** Absent on create means `value`. */
  withDefault(value: T): Field<T, 'defaulted'> {
    return new Field({ ...this.schema, default: value }, this.check, 'defaulted', this.nullable, value, this.writeOnly);
  }

  /** `null` is accepted (clears the value). */
  orNull(): Field<T | null, P> {
    return new Field<T | null, P>(this.schema, this.check, this.presence, true, this.defaultValue, this.writeOnly);
  }

  /** Accepted on write, never returned (secrets, passwords); its error messages name the type, never the value. */
  secret(): Field<T, P> {
    const inner = this.check;
    const check = (v: unknown): Check<T> => {
      const r = inner(v);
      return r.ok ? r : fail(r.message.replace(describeValue(v), describeType(v)));
    };
    return new Field({ ...this.schema, writeOnly: true }, check, this.presence, this.nullable, this.defaultValue, true);
  }

  /** The full schema of the value, including `null` when accepted. */
  jsonSchema(): JsonSchema {
    if (!this.nullable) return this.schema;
    const type = this.schema.type;
    const types: readonly string[] = typeof type === 'string' ? [type] : (type ?? []);
    return { ...this.schema, type: [...types, 'null'] };
  }
}

export type FieldValue<F> = F extends Field<infer T, Presence> ? T : never;

// ---- builders ------------------------------------------------------------------------------------------

export function text(opts: { description: string; minLength?: number; maxLength: number; example?: string }): Field<string, 'required'> {
  const min = opts.minLength ?? 1;
  return new Field(
    { type: 'string', description: opts.description, minLength: min, maxLength: opts.maxLength, ...(opts.example ? { examples: [opts.example] } : {}) },
    (v) => {
      if (typeof v !== 'string') return fail(`must be a string, ${describeValue(v)}`);
      // Control characters in names end up in logs and RADIUS attributes: refuse them.
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u001f\u007f]/.test(v)) return fail('must not contain control characters');
      if (v.length < min) return fail(min === 1 ? 'must not be empty' : `must be at least ${min} characters`);
      if (v.length > opts.maxLength) return fail(`must be at most ${opts.maxLength} characters`);
      return ok(v);
    },
    'required',
  );
}

/**
 * Text whose surrounding whitespace means nothing (identifiers such as a payment's externalId): it is trimmed
 * (String.prototype.trim, Unicode spaces included) before the field's checks, and stored trimmed.
 */
export function trimmed(field: Field<string, 'required'>): Field<string, 'required'> {
  const schema = { ...field.schema, description: `${field.schema.description ?? ''} Leading and trailing whitespace is removed.`.trim() };
  return new Field(schema, (v) => field.check(typeof v === 'string' ? v.trim() : v), 'required');
}

export function integer(opts: { description: string; minimum: number; maximum?: number; example?: number }): Field<number, 'required'> {
  const max = opts.maximum ?? Number.MAX_SAFE_INTEGER;
  const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${opts.minimum}` : `between ${opts.minimum} and ${max}`;
  return new Field(
    { type: 'integer', description: opts.description, minimum: opts.minimum, maximum: max, ...(opts.example === undefined ? {} : { examples: [opts.example] }) },
    (v) => {
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) return fail(`must be an integer ${range}, ${describeValue(v)}`);
      if (v < opts.minimum || v > max) return fail(`must be an integer ${range}, ${describeValue(v)}`);
      return ok(v);
    },
    'required',
  );
}

const LIMIT_TEXT = `${MONEY_LIMIT} minor units (10^15)`;

/**
 * An exact integer above 10^15 (or below −10^15 for signed money): AMOUNT_OUT_OF_RANGE, naming the limit.
 * Anything else is left to the field's own check — including numbers beyond 2^53, which JSON did not carry
 * exactly and so are invalid input (VALIDATION_FAILED) rather than an amount out of range.
 */
function moneyBeyondLimit(v: unknown, signed: boolean): Check<never> | undefined {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) return undefined;
  if (v > MONEY_LIMIT) return { ok: false, message: `must be at most ${LIMIT_TEXT}, ${describeValue(v)}`, code: 'AMOUNT_OUT_OF_RANGE' };
  if (signed && v < -MONEY_LIMIT) return { ok: false, message: `must be at least -${LIMIT_TEXT}, ${describeValue(v)}`, code: 'AMOUNT_OUT_OF_RANGE' };
  return undefined;
}

/** Money (fees, prices, credit limits): an integer 0 … 10^15 in minor units (never a float, never a string). */
export function money(description: string): Field<number, 'required'> {
  // The upper bound is checked first (its own code), so the integer check keeps its plain "≥ 0" message.
  const f = integer({ description: `${description} Integer minor units (e.g. cents), at most ${MONEY_LIMIT}.`, minimum: 0, example: 1500 });
  return new Field(
    { ...f.schema, maximum: MONEY_LIMIT },
    (v) => (typeof v === 'number' && !Number.isInteger(v) ? fail(`must be an integer number of minor units, not a fraction (${describeValue(v)})`) : (moneyBeyondLimit(v, false) ?? f.check(v))),
    'required',
  );
}

/** Money that must be more than zero (payments, credits): an integer 1 … 10^15 in minor units. */
export function positiveMoney(description: string): Field<number, 'required'> {
  const f = integer({ description: `${description} Integer minor units (e.g. cents), 1 to ${MONEY_LIMIT}.`, minimum: 1, example: 1500 });
  return new Field({ ...f.schema, maximum: MONEY_LIMIT }, (v) => (typeof v === 'number' && !Number.isInteger(v) ? fail(fractionMessage(v)) : (moneyBeyondLimit(v, false) ?? f.check(v))), 'required');
}

/** Signed money that must not be zero (adjustments): negative debits, positive credits the balance; within ±10^15. */
export function signedMoney(description: string): Field<number, 'required'> {
  const range = `a non-zero integer number of minor units between ${-MONEY_LIMIT} and ${MONEY_LIMIT}`;
  return new Field(
    {
      type: 'integer',
      description: `${description} Integer minor units (e.g. cents), signed, not 0, within ±${MONEY_LIMIT}.`,
      minimum: -MONEY_LIMIT,
      maximum: MONEY_LIMIT,
      not: { const: 0 },
      examples: [-500, 1500],
    },
    (v) => {
      if (typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v)) return fail(fractionMessage(v));
      const beyond = moneyBeyondLimit(v, true);
      if (beyond) return beyond;
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v === 0) return fail(`must be ${range}, ${describeValue(v)}`);
      return ok(v);
    },
    'required',
  );
}

const fractionMessage = (v: unknown): string => `must be an integer number of minor units, not a fraction (${describeValue(v)})`;

/** A database id another resource is referred to by. */
export function ref(description: string): Field<number, 'required'> {
  return integer({ description, minimum: 1, example: 1 });
}

export function boolean(description: string): Field<boolean, 'required'> {
  return new Field({ type: 'boolean', description }, (v) => (typeof v === 'boolean' ? ok(v) : fail(`must be true or false, ${describeValue(v)}`)), 'required');
}

export function oneOf<const V extends string>(values: readonly V[], description: string): Field<V, 'required'> {
  return new Field(
    { type: 'string', description, enum: values },
    (v) => (typeof v === 'string' && (values as readonly string[]).includes(v) ? ok(v as V) : fail(`must be one of ${values.join(', ')}, ${describeValue(v)}`)),
    'required',
  );
}

export function ipv4(description: string): Field<string, 'required'> {
  return new Field(
    { type: 'string', format: 'ipv4', description, examples: ['100.64.0.10'] },
    (v) => (typeof v === 'string' && isIP(v) === 4 ? ok(v) : fail(`must be an IPv4 address, ${describeValue(v)}`)),
    'required',
  );
}

/** An IPv4/IPv6 address or CIDR with no host bits set (10.0.0.0/8, not 10.1.2.3/8). */
export function addressOrCidr(description: string): Field<string, 'required'> {
  return new Field({ type: 'string', description, examples: ['192.0.2.10', '10.0.0.0/8', '2001:db8::/32'] }, checkAddressOrCidr, 'required');
}

function checkAddressOrCidr(v: unknown): Check<string> {
  const bad = `must be an IP address or CIDR such as 192.0.2.10 or 10.0.0.0/8, ${describeValue(v)}`;
  if (typeof v !== 'string') return fail(bad);
  const slash = v.indexOf('/');
  const addr = slash < 0 ? v : v.slice(0, slash);
  const family = isIP(addr);
  if (family === 0 || addr.includes('%')) return fail(bad);
  if (slash < 0) return ok(v);
  const bits = family === 4 ? 32 : 128;
  const prefixText = v.slice(slash + 1);
  if (!/^(0|[1-9]\d{0,2})$/.test(prefixText) || Number(prefixText) > bits) return fail(`has prefix length "${prefixText}"; it must be 0 to ${bits}`);
  const prefix = Number(prefixText);
  const parsed = addressToBigInt(addr);
  if (!parsed) return fail(bad);
  const hostBits = BigInt((parsed.family === 4 ? 32 : 128) - prefix);
  if (parsed.family === family && hostBits > 0n && (parsed.value & ((1n << hostBits) - 1n)) !== 0n) {
    return fail(`${JSON.stringify(v)} has host bits set; use the network address (${addressText(parsed.family, parsed.value >> hostBits << hostBits)}/${prefix})`);
  }
  return ok(v);
}

export function hex32(description: string): Field<string, 'required'> {
  return new Field(
    { type: 'string', description, pattern: '^[0-9A-Fa-f]{32}$', examples: ['8846f7eaee8fb117ad06bdd830b7586c'] },
    (v) => (typeof v === 'string' && /^[0-9A-Fa-f]{32}$/.test(v) ? ok(v.toLowerCase()) : fail(`must be 32 hexadecimal digits, ${typeof v === 'string' ? `got ${v.length} characters` : describeValue(v)}`)),
    'required',
  );
}

const MAC_FORMS = /^(?:[0-9a-f]{2}([:-])(?:[0-9a-f]{2}\1){4}[0-9a-f]{2}|[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}|[0-9a-f]{12})$/i;

/** A MAC address in any common notation, normalised to aa:bb:cc:dd:ee:ff. */
export function mac(description: string): Field<string, 'required'> {
  return new Field(
    { type: 'string', description: `${description} Accepts aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff or aabbccddeeff; stored as aa:bb:cc:dd:ee:ff.`, examples: ['00:11:22:aa:bb:cc'] },
    (v) => {
      if (typeof v !== 'string' || !MAC_FORMS.test(v)) return fail(`must be a MAC address such as 00:11:22:aa:bb:cc, ${describeValue(v)}`);
      const hex = v.replace(/[^0-9a-f]/gi, '').toLowerCase();
      return ok(Array.from({ length: 6 }, (_, i) => hex.slice(i * 2, i * 2 + 2)).join(':'));
    },
    'required',
  );
}

/** An ISO-8601 timestamp with a time zone (query parameters such as `before`). */
export function timestamp(description: string): Field<string, 'required'> {
  return new Field(
    { type: 'string', format: 'date-time', description, examples: ['2025-01-31T12:00:00Z'] },
    (v) => {
      if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(v) || Number.isNaN(Date.parse(v))) {
        return fail(`must be an ISO-8601 timestamp with a zone such as 2025-01-31T12:00:00Z, ${describeValue(v)}`);
      }
      return ok(new Date(v).toISOString());
    },
    'required',
  );
}
