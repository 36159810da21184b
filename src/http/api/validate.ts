/**
 * Validates request bodies and query strings through the shared schema (src/schema/validate.ts) and throws what
 * it finds as one ApiError: VALIDATION_FAILED — or, when every problem is money beyond ±10^15,
 * AMOUNT_OUT_OF_RANGE (422), the code the store answers for the same bound.
 */
import { validateObject, validateQuery, type BodyMode, type CreateOf, type Issue, type PatchOf, type ReadOnlyMessages, type Shape } from '../../schema/index.js';
import { ApiError } from './errors.js';

export { closest, type BodyMode, type CreateOf, type PatchOf, type ReadOnlyMessages, type Shape } from '../../schema/index.js';

export function parseBody<S extends Shape>(shape: S, body: unknown, mode: 'create', readOnly?: ReadOnlyMessages): CreateOf<S>;
export function parseBody<S extends Shape>(shape: S, body: unknown, mode: 'patch', readOnly?: ReadOnlyMessages): PatchOf<S>;
export function parseBody<S extends Shape>(shape: S, body: unknown, mode: BodyMode, readOnly: ReadOnlyMessages = {}): CreateOf<S> | PatchOf<S> {
  const r = validateObject(shape, body, mode, readOnly);
  if (r.ok) return r.value;
  throw issuesError(r.issues);
}

/**
 * Query parameters: every field is optional (defaults applied); integers are parsed from their decimal text;
 * an empty value counts as absent; unknown or repeated parameters are refused.
 */
export function parseQuery<S extends Shape>(shape: S, params: URLSearchParams): CreateOf<S> {
  const r = validateQuery(shape, params);
  if (r.ok) return r.value;
  throw issuesError(r.issues);
}

/** One error for every issue: AMOUNT_OUT_OF_RANGE when they all are (422), else VALIDATION_FAILED (400). */
export function issuesError(issues: readonly Issue[]): ApiError {
  const [first] = issues;
  // The body itself is not an object: nothing to name in `field`.
  if (first && first.key === '') return new ApiError('VALIDATION_FAILED', `the request body ${first.message}`);
  const details = issues.map(({ key, message }) => ({ field: key, message }));
  if (first && issues.every((i) => i.code === 'AMOUNT_OUT_OF_RANGE')) {
    return new ApiError('AMOUNT_OUT_OF_RANGE', first.message, { field: first.key, ...(details.length > 1 ? { details } : {}) });
  }
  return ApiError.validation(details);
}
