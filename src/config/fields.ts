/**
 * The config file's value builders on zod: what a key accepts, its default, and a message that names the problem
 * the way an operator reads it (`must be an integer ≥ 0 ≤ 65535, got string "abc"`). Values may come from the
 * environment as text, so integers and booleans also accept their decimal/`true`/`false` spelling; strings accept
 * a YAML number as its text — except secrets, where a number has already lost what made it the secret (the
 * leading zeros of `0012345678`), so it is refused with the fix.
 */
import { z } from 'zod';
import type { Field } from '../schema/index.js';

/** How a value looks in a config message: `string "x"`, `number 5`, `a list`, `a mapping`, `null`. */
export function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'a mapping' : `${typeof v} ${JSON.stringify(v)}`;
}

type Iss = { readonly input?: unknown };
/** The message of a failed value: `is required` when the key is absent, else `what(input)`. */
const msg = (what: (input: unknown) => string) => (iss: Iss) => (iss.input === undefined ? 'is required' : what(iss.input));

/** null (an empty YAML key) means absent. */
const nullIsAbsent = (v: unknown) => (v === null ? undefined : v);

export function int(opts: { default?: number; min?: number; max?: number } = {}) {
  const range = `an integer${opts.min !== undefined ? ` ≥ ${opts.min}` : ''}${opts.max !== undefined ? ` ≤ ${opts.max}` : ''}`;
  const error = msg((v) => `must be ${range}, got ${typeOf(v)}`);
  let n = z.int({ error });
  if (opts.min !== undefined) n = n.min(opts.min, { error });
  if (opts.max !== undefined) n = n.max(opts.max, { error });
  // The environment gives text: "11812" is the integer 11812.
  const s = z.preprocess((v) => (typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : v), n);
  return opts.default === undefined ? s : s.default(opts.default);
}

export function bool(opts: { default?: boolean } = {}) {
  const s = z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean({ error: msg((v) => `must be true or false, got ${typeOf(v)}`) }));
  return opts.default === undefined ? s : s.default(opts.default);
}

/** true, false or `auto` (requireMessageAuthenticator): the environment's text `true`/`false` as booleans. */
export function boolOrAuto(opts: { default?: boolean | 'auto' } = {}) {
  const s = z.preprocess(
    (v) => (v === 'true' ? true : v === 'false' ? false : v),
    z.union([z.boolean(), z.literal('auto')], { error: msg((v) => `must be true, false or auto, got ${typeOf(v)}`) }),
  );
  return opts.default === undefined ? s : s.default(opts.default);
}

export interface StrOptions {
  readonly default?: string;
  readonly minLength?: number;
  readonly pattern?: RegExp;
  readonly hint?: string;
}

function strChecks(opts: StrOptions): z.ZodString {
  let s = z.string({ error: msg((v) => `must be a string, got ${typeOf(v)}`) });
  if (opts.minLength !== undefined) s = s.min(opts.minLength, { error: `must be at least ${opts.minLength} characters${opts.hint ? ` (${opts.hint})` : ''}` });
  if (opts.pattern) {
    const p = opts.pattern;
    s = s.regex(p, { error: (iss) => `${JSON.stringify(iss.input)} is not valid${opts.hint ? `: ${opts.hint}` : ''}` });
  }
  return s;
}

/** A string; a YAML number is taken as its text (`name: 1`). */
export function str(opts: StrOptions = {}) {
  const s = z.preprocess((v) => (typeof v === 'number' ? String(v) : v), strChecks(opts));
  return opts.default === undefined ? s : s.default(opts.default);
}

export function oneOf<const V extends string>(values: readonly V[], opts: { default?: V } = {}) {
  const s = z.enum(values as unknown as [V, ...V[]], { error: msg((v) => `must be one of ${values.join(', ')}, got ${typeOf(v)}`) });
  return opts.default === undefined ? s : s.default(opts.default);
}

/** The refusal of a number where a secret belongs: YAML read it as a number, the digits that made it are gone. */
function quoteIt(ctx: { value: unknown; issues: unknown[] }): void {
  if (typeof ctx.value === 'number' || typeof ctx.value === 'boolean') {
    (ctx.issues as object[]).push({
      code: 'custom',
      input: ctx.value,
      message: `must be a string: YAML read it as a ${typeof ctx.value}, which loses leading zeros and digits; quote it ("…")`,
    });
  }
}

/** A secret (shared secret, token, password): a string only, never a YAML number turned into one. */
export function secret(opts: StrOptions = {}) {
  return z.unknown().check(quoteIt).pipe(strChecks(opts));
}

/** A field of the shared schema (src/schema) as a config value: its rules and messages, `is required` when absent. */
export function shared<T>(field: Field<T, 'required'>) {
  return z.unknown().check((ctx) => {
    if (ctx.value === undefined) (ctx.issues as object[]).push({ code: 'custom', input: undefined, message: 'is required' });
  }).pipe(field.value);
}

/** A shared secret field: refused with the quoting hint when YAML made it a number. */
export function sharedSecret<T>(field: Field<T, 'required'>) {
  return z.unknown().check(quoteIt).pipe(shared(field));
}

/** A value that may be absent (or null). */
export function optional<S extends z.ZodType>(inner: S) {
  return z.preprocess(nullIsAbsent, inner.optional());
}

export function list<S extends z.ZodType>(item: S, opts: { default?: z.output<S>[] } = {}) {
  const a = z.array(item, { error: msg((v) => `must be a list, got ${typeOf(v)}`) });
  return z.preprocess(nullIsAbsent, opts.default === undefined ? a : a.default(opts.default));
}

/** A mapping from free-form names to values (e.g. reply attributes). */
export function record<S extends z.ZodType>(item: S, opts: { default?: Record<string, z.output<S>> } = {}) {
  const r = z.record(z.string(), item, { error: msg((v) => `must be a mapping, got ${typeOf(v)}`) });
  return z.preprocess(nullIsAbsent, opts.default === undefined ? r : r.default(opts.default));
}

/** Accepts any scalar (string, number, boolean) as is: attribute values are checked against the dictionary later. */
export function scalar() {
  return z.union([z.string(), z.number(), z.boolean()], { error: msg((v) => `must be a string or number, got ${typeOf(v)}`) });
}

/** The marker message of an unknown key; load.ts splits the one zod issue into one per key. */
export const UNKNOWN_KEY = 'is not a known key';

/**
 * A mapping with known keys; unknown keys are reported (a typo must not be ignored silently). Absent or null is
 * `{}` with every default applied, unless `required`.
 */
export function obj<S extends z.ZodRawShape>(shape: S, opts: { required?: boolean } = {}) {
  const known = Object.keys(shape).join(', ');
  const o = z.strictObject(shape, {
    error: (iss) =>
      iss.code === 'unrecognized_keys' ? `${UNKNOWN_KEY} (known here: ${known})` : iss.input === undefined ? 'is required' : `must be a mapping, got ${typeOf(iss.input)}`,
  });
  return opts.required ? o : z.preprocess(nullIsAbsent, o.prefault({} as never));
}
