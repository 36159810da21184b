/**
 * The field schemas every entry point shares: the admin API's bodies and query strings, the store's checks
 * (which the CLI and the CSV import go through) and the config file's NAS clients and users. Each builder is a
 * zod schema with its messages; a message never names the field (the object validator or the config loader
 * puts the key in front), and a secret's never repeats the value.
 */
import { z } from 'zod';
import { VENDORS } from '../domain/types.js';
import { MONEY_LIMIT } from '../domain/money.js';
import { parseAddress, parseCidr } from './address.js';
import { describeValue } from './describe.js';
import { Field } from './field.js';

export { MONEY_LIMIT };

interface Meta {
  readonly description?: string | undefined;
  readonly examples?: readonly unknown[] | undefined;
  readonly [key: string]: unknown;
}

/** zod's meta without undefined entries (they would land in the JSON Schema as such). */
function meta(m: Meta): Record<string, unknown> {
  return Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined));
}

type Ctx = { value: unknown; issues: unknown[] };
/** A custom issue from inside a `.check()`, with the code of the error it calls for when that is not the plain one. */
function issue(ctx: Ctx, message: string, code?: 'AMOUNT_OUT_OF_RANGE'): void {
  (ctx.issues as object[]).push({ code: 'custom', message, input: ctx.value, ...(code === undefined ? {} : { params: { code } }) });
}

// ---- generic builders ----------------------------------------------------------------------------------

export interface TextOptions {
  readonly description: string;
  readonly minLength?: number;
  readonly maxLength: number;
  readonly example?: string;
  /** Surrounding whitespace means nothing (identifiers): trimmed before the checks, stored trimmed. */
  readonly trim?: boolean;
}

// Control characters in names end up in logs and RADIUS attributes: refuse them.
// eslint-disable-next-line no-control-regex
const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;

function textSchema(opts: TextOptions): z.ZodString {
  const min = opts.minLength ?? 1;
  let s = z.string({ error: (iss) => `must be a string, ${describeValue(iss.input)}` });
  if (opts.trim) s = s.trim();
  return s
    .regex(NO_CONTROL, { error: 'must not contain control characters' })
    .min(min, { error: min === 1 ? 'must not be empty' : `must be at least ${min} characters` })
    .max(opts.maxLength, { error: `must be at most ${opts.maxLength} characters` })
    .meta(meta({ description: opts.description, examples: opts.example === undefined ? undefined : [opts.example] }));
}

const TEXT_OPTIONS = new WeakMap<Field<string, 'required'>, TextOptions>();

export function text(opts: TextOptions): Field<string, 'required'> {
  const f = new Field(textSchema(opts), 'required');
  TEXT_OPTIONS.set(f, opts);
  return f;
}

/**
 * Text whose surrounding whitespace means nothing (identifiers such as a payment's externalId): it is trimmed
 * (String.prototype.trim, Unicode spaces included) before the field's checks, and stored trimmed.
 */
export function trimmed(field: Field<string, 'required'>): Field<string, 'required'> {
  const opts = TEXT_OPTIONS.get(field);
  if (!opts) throw new TypeError('trimmed() takes a field built by text()');
  return text({ ...opts, trim: true, description: `${opts.description} Leading and trailing whitespace is removed.`.trim() });
}

function rangeText(minimum: number, maximum: number): string {
  return maximum === Number.MAX_SAFE_INTEGER ? `≥ ${minimum}` : `between ${minimum} and ${maximum}`;
}

export function integer(opts: { description: string; minimum: number; maximum?: number; example?: number }): Field<number, 'required'> {
  const max = opts.maximum ?? Number.MAX_SAFE_INTEGER;
  const range = rangeText(opts.minimum, max);
  const s = z
    .int({ error: (iss) => `must be an integer ${range}, ${describeValue(iss.input)}` })
    .min(opts.minimum)
    .max(max)
    .meta(meta({ description: opts.description, examples: opts.example === undefined ? undefined : [opts.example] }));
  return new Field(s, 'required');
}

const LIMIT_TEXT = `${MONEY_LIMIT} minor units (10^15)`;
const fractionMessage = (v: unknown): string => `must be an integer number of minor units, not a fraction (${describeValue(v)})`;

/** A finite number with a fraction: its own message (money is never a float). */
function noFraction(ctx: Ctx): void {
  const v = ctx.value;
  if (typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v)) issue(ctx, fractionMessage(v));
}

/**
 * An exact integer above 10^15 (or below −10^15 for signed money): AMOUNT_OUT_OF_RANGE, naming the limit.
 * Numbers beyond 2^53 are left to the integer check: JSON did not carry them exactly, so they are invalid input
 * rather than an amount out of range.
 */
function withinLimit(signed: boolean) {
  return (ctx: Ctx): void => {
    const v = ctx.value;
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) return;
    if (v > MONEY_LIMIT) issue(ctx, `must be at most ${LIMIT_TEXT}, ${describeValue(v)}`, 'AMOUNT_OUT_OF_RANGE');
    else if (signed && v < -MONEY_LIMIT) issue(ctx, `must be at least -${LIMIT_TEXT}, ${describeValue(v)}`, 'AMOUNT_OUT_OF_RANGE');
  };
}

function moneySchema(minimum: 0 | 1, description: string): z.ZodNumber {
  const message = (iss: { input?: unknown }) => `must be an integer ${rangeText(minimum, Number.MAX_SAFE_INTEGER)}, ${describeValue(iss.input)}`;
  return z
    .number({ error: message })
    .check(noFraction)
    .check(withinLimit(false))
    .int()
    .min(minimum)
    .max(MONEY_LIMIT)
    .meta({ description, examples: [1500] });
}

/** Money (fees, prices, credit limits): an integer 0 … 10^15 in minor units (never a float, never a string). */
export function money(description: string): Field<number, 'required'> {
  return new Field(moneySchema(0, `${description} Integer minor units (e.g. cents), at most ${MONEY_LIMIT}.`), 'required');
}

/** Money that must be more than zero (payments, credits): an integer 1 … 10^15 in minor units. */
export function positiveMoney(description: string): Field<number, 'required'> {
  return new Field(moneySchema(1, `${description} Integer minor units (e.g. cents), 1 to ${MONEY_LIMIT}.`), 'required');
}

/** Signed money that must not be zero (adjustments): negative debits, positive credits the balance; within ±10^15. */
export function signedMoney(description: string): Field<number, 'required'> {
  const range = `a non-zero integer number of minor units between ${-MONEY_LIMIT} and ${MONEY_LIMIT}`;
  const message = (iss: { input?: unknown }) => `must be ${range}, ${describeValue(iss.input)}`;
  const s = z
    .number({ error: message })
    .check(noFraction)
    .check(withinLimit(true))
    .int()
    .min(-MONEY_LIMIT)
    .max(MONEY_LIMIT)
    .refine((v) => v !== 0, { error: message })
    .meta({
      description: `${description} Integer minor units (e.g. cents), signed, not 0, within ±${MONEY_LIMIT}.`,
      not: { const: 0 },
      examples: [-500, 1500],
    });
  return new Field(s, 'required');
}

/** A database id another resource is referred to by. */
export function ref(description: string): Field<number, 'required'> {
  return integer({ description, minimum: 1, example: 1 });
}

export function boolean(description: string): Field<boolean, 'required'> {
  return new Field(z.boolean({ error: (iss) => `must be true or false, ${describeValue(iss.input)}` }).meta({ description }), 'required');
}

export function oneOf<const V extends string>(values: readonly V[], description: string): Field<V, 'required'> {
  const s = z.enum(values as unknown as [V, ...V[]], { error: (iss) => `must be one of ${values.join(', ')}, ${describeValue(iss.input)}` }).meta({ description });
  return new Field(s, 'required');
}

/** A string checked by `test`; `message` builds the one failure message from the input. */
function checkedString(test: (v: string, ctx: Ctx) => boolean, message: (v: unknown) => string, m: Meta): z.ZodString {
  return z
    .string({ error: (iss) => message(iss.input) })
    .check((ctx) => {
      if (!test(ctx.value, ctx)) issue(ctx, message(ctx.value));
    })
    .meta(meta(m));
}

/** An IPv4 address: the only family Framed-IP-Address can carry, so the only one a subscriber may be given. */
export function ipv4(description: string): Field<string, 'required'> {
  const s = checkedString((v) => parseAddress(v)?.family === 4, (v) => `must be an IPv4 address, ${describeValue(v)}`, {
    format: 'ipv4',
    description,
    examples: ['100.64.0.10'],
  });
  return new Field(s, 'required');
}

/** An IPv4 or IPv6 address (no prefix, no zone). */
export function ipAddress(description: string): Field<string, 'required'> {
  const s = checkedString((v) => parseAddress(v) !== undefined, (v) => `must be an IPv4 or IPv6 address such as 100.64.0.10, ${describeValue(v)}`, {
    description,
    examples: ['100.64.0.10', '2001:db8::10'],
  });
  return new Field(s, 'required');
}

/** An IPv4/IPv6 address or CIDR with no host bits set (10.0.0.0/8, not 10.1.2.3/8). */
export function addressOrCidr(description: string): Field<string, 'required'> {
  const bad = (v: unknown) => `must be an IP address or CIDR such as 192.0.2.10 or 10.0.0.0/8, ${describeValue(v)}`;
  const s = z
    .string({ error: (iss) => bad(iss.input) })
    .check((ctx) => {
      const r = parseCidr(ctx.value);
      if (r.ok) return;
      const p = r.problem;
      if (p.kind === 'address') issue(ctx, bad(ctx.value));
      else if (p.kind === 'prefix') issue(ctx, `has prefix length "${p.prefixText}"; it must be 0 to ${p.bits}`);
      else issue(ctx, `${JSON.stringify(ctx.value)} has host bits set; use the network address (${p.network})`);
    })
    .meta({ description, examples: ['192.0.2.10', '10.0.0.0/8', '2001:db8::/32'] });
  return new Field(s, 'required');
}

export function hex32(description: string): Field<string, 'required'> {
  const message = (v: unknown) => `must be 32 hexadecimal digits, ${typeof v === 'string' ? `got ${v.length} characters` : describeValue(v)}`;
  const s = z
    .string({ error: (iss) => message(iss.input) })
    .regex(/^[0-9A-Fa-f]{32}$/, { error: (iss) => message(iss.input) })
    .toLowerCase()
    .meta({ description, examples: ['8846f7eaee8fb117ad06bdd830b7586c'] });
  return new Field(s, 'required');
}

const MAC_FORMS = /^(?:[0-9a-f]{2}([:-])(?:[0-9a-f]{2}\1){4}[0-9a-f]{2}|[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}|[0-9a-f]{12})$/i;

/** aa:bb:cc:dd:ee:ff from a MAC in a form MAC_FORMS accepts. */
function macText(v: string): string {
  const hex = v.replace(/[^0-9a-f]/gi, '').toLowerCase();
  return Array.from({ length: 6 }, (_, i) => hex.slice(i * 2, i * 2 + 2)).join(':');
}

/** A MAC address in any common notation, normalised to aa:bb:cc:dd:ee:ff. */
export function mac(description: string): Field<string, 'required'> {
  const s = checkedString((v) => MAC_FORMS.test(v), (v) => `must be a MAC address such as 00:11:22:aa:bb:cc, ${describeValue(v)}`, {
    description: `${description} Accepts aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff or aabbccddeeff; stored as aa:bb:cc:dd:ee:ff.`,
    examples: ['00:11:22:aa:bb:cc'],
  });
  return new Field(
    s.overwrite((v) => (MAC_FORMS.test(v) ? macText(v) : v)),
    'required',
  );
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** An ISO-8601 timestamp with a time zone (query parameters such as `before`), normalised to UTC. */
export function timestamp(description: string): Field<string, 'required'> {
  const valid = (v: string) => TIMESTAMP.test(v) && !Number.isNaN(Date.parse(v));
  const s = checkedString(valid, (v) => `must be an ISO-8601 timestamp with a zone such as 2025-01-31T12:00:00Z, ${describeValue(v)}`, {
    format: 'date-time',
    description,
    examples: ['2025-01-31T12:00:00Z'],
  });
  return new Field(
    s.overwrite((v) => (valid(v) ? new Date(v).toISOString() : v)),
    'required',
  );
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar day, YYYY-MM-DD (a real date: 2025-02-30 is refused). */
export function day(description: string): Field<string, 'required'> {
  const valid = (v: string) => {
    const m = DAY.exec(v);
    if (!m) return false;
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return d.toISOString().slice(0, 10) === v;
  };
  const s = checkedString(valid, (v) => `must be a calendar day YYYY-MM-DD such as 2025-01-31, ${describeValue(v)}`, { format: 'date', description, examples: ['2025-01-31'] });
  return new Field(s, 'required');
}

// ---- the fields of the domain --------------------------------------------------------------------------

/** RADIUS User-Name: at most 253 octets on the wire (RFC 2865 §5.1); no control characters. */
export const username = (description = 'RADIUS User-Name, matched exactly.') => text({ description, maxLength: 253, example: 'alice@isp' });

/** The minimum length of a RADIUS shared secret anywhere (API, CLI, config). */
export const SECRET_MIN_LENGTH = 8;

/** A RADIUS shared secret: 8 to 128 characters (RFC 2865 §3 asks for at least 16 in practice). Write-only. */
export const nasSecret = (description = 'RADIUS shared secret, at least 8 characters. Write-only: never returned.') =>
  text({ description, minLength: SECRET_MIN_LENGTH, maxLength: 128 }).secret();

export const nasName = () => text({ description: 'Unique name, used in logs and metrics.', maxLength: 64, example: 'bras-1' });

/** The source address of a NAS: an address or a network, no host bits. */
export const nasAddress = (description = 'Source address of the NAS: an IPv4/IPv6 address or a CIDR (no host bits set).') => addressOrCidr(description);

export const vendor = (description = 'Vendor profile for replies and CoA.') => oneOf(VENDORS, description);

export const udpPort = (description: string) => integer({ description, minimum: 1, maximum: 65535 });

/** A static Framed-IP-Address: IPv4 only, since Framed-IP-Address is the only address attribute sent. */
export const framedIp = (description = 'Static Framed-IP-Address, or null.') => ipv4(description);

export const ntHash = (description: string) => hex32(description).secret();
