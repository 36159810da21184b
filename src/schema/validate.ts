/**
 * Validates an input object against a shape of fields. Every problem is collected (a bad field, a missing one, a
 * read-only one, an unknown one) and returned at once, each as an Issue keyed by its field; the API turns them into
 * VALIDATION_FAILED (or AMOUNT_OUT_OF_RANGE), the store into a SchemaError. `objectSchema` is the same shape as one
 * zod object, which is what the OpenAPI document's component schemas are generated from.
 */
import { z } from 'zod';
import { describeValue } from './describe.js';
import { jsonSchemaOf, type Field, type FieldValue, type JsonSchema, type Presence } from './field.js';
import type { Issue } from './issues.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the value type varies per field; FieldValue recovers it
export type Shape = Readonly<Record<string, Field<any, Presence>>>;

/** Keys always present after validation: required ones and those with a default. */
type RequiredKeys<S extends Shape> = { [K in keyof S]: S[K] extends Field<unknown, 'optional'> ? never : K }[keyof S];
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The validated body of a create (or a query): required fields present, defaults applied, optional ones maybe. */
export type CreateOf<S extends Shape> = Simplify<
  { [K in RequiredKeys<S>]: FieldValue<S[K]> } & { [K in Exclude<keyof S, RequiredKeys<S>>]?: FieldValue<S[K]> }
>;
/** The validated body of a PATCH: any subset of the fields. */
export type PatchOf<S extends Shape> = { [K in keyof S]?: FieldValue<S[K]> };

/** Fields a client may read but not write, with the message that says why (and what to use instead). */
export type ReadOnlyMessages = Readonly<Record<string, string>>;

export type BodyMode = 'create' | 'patch';

export type Validated<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly Issue[] };

/** The shape as one strict zod object (unknown keys refused): create applies defaults, patch takes any subset. */
export function objectSchema(shape: Shape, mode: BodyMode): z.ZodObject {
  return z.strictObject(Object.fromEntries(Object.entries(shape).map(([k, f]) => [k, f.zod(mode)])));
}

/** The JSON Schema of `objectSchema(shape, mode)`, as the OpenAPI components embed it. */
export function objectJsonSchema(shape: Shape, mode: BodyMode, description?: string): JsonSchema {
  const schema = jsonSchemaOf(objectSchema(shape, mode));
  return description === undefined ? schema : { ...schema, description };
}

export function validateObject<S extends Shape>(shape: S, body: unknown, mode: 'create', readOnly?: ReadOnlyMessages): Validated<CreateOf<S>>;
export function validateObject<S extends Shape>(shape: S, body: unknown, mode: 'patch', readOnly?: ReadOnlyMessages): Validated<PatchOf<S>>;
export function validateObject<S extends Shape>(shape: S, body: unknown, mode: BodyMode, readOnly?: ReadOnlyMessages): Validated<CreateOf<S> | PatchOf<S>>;
export function validateObject<S extends Shape>(shape: S, body: unknown, mode: BodyMode, readOnly: ReadOnlyMessages = {}): Validated<CreateOf<S> | PatchOf<S>> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, issues: [{ key: '', message: `must be a JSON object, ${describeValue(body)}` }] };
  }
  const input = body as Record<string, unknown>;
  const issues: Issue[] = [];
  for (const key of Object.keys(input)) {
    const why = Object.hasOwn(readOnly, key) ? readOnly[key] : undefined;
    if (why !== undefined) issues.push({ key, message: why });
    else if (!Object.hasOwn(shape, key)) issues.push({ key, message: unknownMessage('field', key, Object.keys(shape)) });
  }
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(shape)) {
    const present = Object.hasOwn(input, key) && input[key] !== undefined;
    if (!present) {
      if (mode === 'patch') continue;
      if (field.defaultValue !== undefined) out[key] = field.defaultValue;
      else if (field.presence === 'required') issues.push({ key, message: `${key} is required` });
      continue;
    }
    const r = checkValue(field, key, input[key]);
    if ('value' in r) out[key] = r.value;
    else issues.push(r);
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: out as CreateOf<S> | PatchOf<S> };
}

/**
 * Query parameters: every field is optional (defaults applied); integers are parsed from their decimal text,
 * booleans from `true`/`false`;
 * an empty value counts as absent; unknown or repeated parameters are refused.
 */
export function validateQuery<S extends Shape>(shape: S, params: URLSearchParams): Validated<CreateOf<S>> {
  const issues: Issue[] = [];
  const input: Record<string, unknown> = {};
  for (const key of new Set(params.keys())) {
    const field = Object.hasOwn(shape, key) ? shape[key] : undefined;
    if (!field) {
      issues.push({ key, message: unknownMessage('query parameter', key, Object.keys(shape)) });
      continue;
    }
    const values = params.getAll(key);
    if (values.length > 1) {
      issues.push({ key, message: `${key} is given ${values.length} times; give it once` });
      continue;
    }
    const raw = values[0] ?? '';
    if (raw === '') continue;
    const type = field.jsonSchema().type;
    if (type === 'integer' && /^-?\d{1,16}$/.test(raw)) input[key] = Number(raw);
    else if (type === 'boolean' && (raw === 'true' || raw === 'false')) input[key] = raw === 'true';
    else input[key] = raw;
  }
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(shape)) {
    if (!Object.hasOwn(input, key)) {
      if (field.defaultValue !== undefined) out[key] = field.defaultValue;
      continue;
    }
    const r = checkValue(field, key, input[key]);
    if ('value' in r) out[key] = r.value;
    else issues.push(r);
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: out as CreateOf<S> };
}

function checkValue(field: Field<unknown>, key: string, value: unknown): { value: unknown } | Issue {
  if (value === null) return field.nullable ? { value: null } : { key, message: `${key} must not be null` };
  const r = field.check(value);
  return r.ok ? { value: r.value } : { key, message: `${key} ${r.message}`, ...(r.code === undefined ? {} : { code: r.code }) };
}

function unknownMessage(what: string, key: string, known: readonly string[]): string {
  const near = closest(key, known);
  return `unknown ${what} "${key}"${near ? `; did you mean "${near}"?` : ''} (known: ${known.join(', ') || 'none'})`;
}

/** The known name within edit distance 2 (or a case-insensitive match), for "did you mean" hints. */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of known) {
    const d = k.toLowerCase() === name.toLowerCase() ? 0 : editDistance(name, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}
