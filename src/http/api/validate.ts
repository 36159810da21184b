/**
 * Validates request bodies and query strings against a shape of fields. Every problem is collected (a bad
 * field, a missing one, a read-only one, an unknown one) and thrown once as VALIDATION_FAILED — or, when every
 * problem is money beyond ±10^15, as AMOUNT_OUT_OF_RANGE (422), the code the store answers for the same bound.
 */
import { ApiError, type FieldIssue } from './errors.js';
import { describeValue, type Field, type FieldValue, type Presence } from './fields.js';

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

export function parseBody<S extends Shape>(shape: S, body: unknown, mode: 'create', readOnly?: ReadOnlyMessages): CreateOf<S>;
export function parseBody<S extends Shape>(shape: S, body: unknown, mode: 'patch', readOnly?: ReadOnlyMessages): PatchOf<S>;
export function parseBody<S extends Shape>(shape: S, body: unknown, mode: BodyMode, readOnly: ReadOnlyMessages = {}): CreateOf<S> | PatchOf<S> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError('VALIDATION_FAILED', `the request body must be a JSON object, ${describeValue(body)}`);
  }
  const input = body as Record<string, unknown>;
  const issues: Issue[] = [];
  for (const key of Object.keys(input)) {
    const why = Object.hasOwn(readOnly, key) ? readOnly[key] : undefined;
    if (why !== undefined) issues.push({ field: key, message: why });
    else if (!Object.hasOwn(shape, key)) issues.push({ field: key, message: unknownMessage('field', key, Object.keys(shape)) });
  }
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(shape)) {
    const present = Object.hasOwn(input, key) && input[key] !== undefined;
    if (!present) {
      if (mode === 'patch') continue;
      if (field.defaultValue !== undefined) out[key] = field.defaultValue;
      else if (field.presence === 'required') issues.push({ field: key, message: `${key} is required` });
      continue;
    }
    const r = checkValue(field, key, input[key]);
    if (r.ok) out[key] = r.value;
    else issues.push({ field: key, message: r.message, ...(r.code === undefined ? {} : { code: r.code }) });
  }
  if (issues.length > 0) throw issuesError(issues);
  return out as CreateOf<S> | PatchOf<S>;
}

/**
 * Query parameters: every field is optional (defaults applied); integers are parsed from their decimal text;
 * an empty value counts as absent; unknown or repeated parameters are refused.
 */
export function parseQuery<S extends Shape>(shape: S, params: URLSearchParams): CreateOf<S> {
  const issues: Issue[] = [];
  const input: Record<string, unknown> = {};
  for (const key of new Set(params.keys())) {
    const field = Object.hasOwn(shape, key) ? shape[key] : undefined;
    if (!field) {
      issues.push({ field: key, message: unknownMessage('query parameter', key, Object.keys(shape)) });
      continue;
    }
    const values = params.getAll(key);
    if (values.length > 1) {
      issues.push({ field: key, message: `${key} is given ${values.length} times; give it once` });
      continue;
    }
    const raw = values[0] ?? '';
    if (raw === '') continue;
    input[key] = field.schema.type === 'integer' && /^-?\d{1,16}$/.test(raw) ? Number(raw) : raw;
  }
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(shape)) {
    if (!Object.hasOwn(input, key)) {
      if (field.defaultValue !== undefined) out[key] = field.defaultValue;
      continue;
    }
    const r = checkValue(field, key, input[key]);
    if (r.ok) out[key] = r.value;
    else issues.push({ field: key, message: r.message, ...(r.code === undefined ? {} : { code: r.code }) });
  }
  if (issues.length > 0) throw issuesError(issues);
  return out as CreateOf<S>;
}

/** A problem found, with the code of the error it calls for when that is not VALIDATION_FAILED. */
type Issue = FieldIssue & { readonly code?: 'AMOUNT_OUT_OF_RANGE' };

/** One error for every issue: AMOUNT_OUT_OF_RANGE when they all are (422), else VALIDATION_FAILED (400). */
function issuesError(issues: readonly Issue[]): ApiError {
  const details = issues.map(({ field, message }) => ({ field, message }));
  const [first] = issues;
  if (first && issues.every((i) => i.code === 'AMOUNT_OUT_OF_RANGE')) {
    return new ApiError('AMOUNT_OUT_OF_RANGE', first.message, { field: first.field, ...(details.length > 1 ? { details } : {}) });
  }
  return ApiError.validation(details);
}

function checkValue(field: Field<unknown>, key: string, value: unknown): { ok: true; value: unknown } | { ok: false; message: string; code?: 'AMOUNT_OUT_OF_RANGE' } {
  if (value === null) {
    return field.nullable ? { ok: true, value: null } : { ok: false, message: `${key} must not be null` };
  }
  const r = field.check(value);
  return r.ok ? r : { ok: false, message: `${key} ${r.message}`, ...(r.code === undefined ? {} : { code: r.code }) };
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
