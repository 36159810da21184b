/**
 * Every way the admin API answers with an error, with a stable code. The body is always
 * `{ "error": { "code", "message", "field"?, "details"? } }`; docs/api.md documents each code (a test checks it).
 */
import { StoreError } from '../../domain/ports.js';

export const ApiErrorCodes = {
  VALIDATION_FAILED: { status: 400, description: 'a body field or query parameter is invalid or unknown; `field` names the first, `details` lists them all' },
  MALFORMED_JSON: { status: 400, description: 'the request body is not valid JSON' },
  UNAUTHORIZED: { status: 401, description: 'no credentials, or credentials that do not hold: a wrong or expired API token, an ended console session, a wrong login or password, a missing or wrong second factor' },
  FORBIDDEN: { status: 403, description: "the caller is signed in but the role does not allow this operation (docs/console.md lists each role's permissions)" },
  CSRF_FAILED: { status: 403, description: 'an unsafe method (POST, PATCH, PUT, DELETE) with a console session cookie came without the X-CSRF-Token header the login answered with, or with another one' },
  TOO_MANY_REQUESTS: { status: 429, description: 'too many failed sign-ins for this login or from this address (Retry-After says when to try again), or a limit of live traces or trace event streams is reached (the message names it)' },
  NOT_FOUND: { status: 404, description: 'no route for the path, or no resource with the id' },
  METHOD_NOT_ALLOWED: { status: 405, description: 'the route exists but not for this method; the Allow header lists the methods' },
  CONFLICT: { status: 409, description: 'a unique value (a name, a username, an address) is already taken, a payment externalId belongs to another payment, or the session to disconnect has already stopped' },
  REFERENCE: { status: 422, description: 'a referenced id does not exist (422), or the resource is still referenced and cannot be deleted (409)' },
  AMOUNT_OUT_OF_RANGE: { status: 422, description: 'a money amount, or the balance, credit limit or active credit it would produce, is beyond ±1000000000000000 (10^15) minor units' },
  BODY_TOO_LARGE: { status: 413, description: 'the request body exceeds 1 MiB' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, description: 'a request body was sent without Content-Type: application/json' },
  INTERNAL: { status: 500, description: 'an unexpected failure; the message is generic and the cause is logged' },
  UNAVAILABLE: { status: 503, description: 'the database is unreachable; retry later' },
  COA_FAILED: { status: 502, description: 'the NAS refused the Disconnect-Request (nak) or did not answer it (timeout); the body also carries result, errorCause and attempts' },
  COA_UNAVAILABLE: { status: 503, description: "a Disconnect-Request cannot be sent: this instance has no CoA client, or the session's NAS is not in the nas table (or is a network, not one address)" },
} as const satisfies Record<string, { status: number; description: string }>;

export type ApiErrorCode = keyof typeof ApiErrorCodes;

/** Every status a code can be answered with (REFERENCE is 409 on DELETE, 422 on a write naming a missing id). */
export const ApiErrorStatuses: Readonly<Record<ApiErrorCode, readonly number[]>> = {
  ...(Object.fromEntries(Object.entries(ApiErrorCodes).map(([code, { status }]) => [code, [status]])) as Record<ApiErrorCode, number[]>),
  REFERENCE: [409, 422],
};

export interface FieldIssue {
  readonly field: string;
  readonly message: string;
}

export interface ApiErrorOptions {
  readonly field?: string;
  readonly details?: readonly FieldIssue[];
  /** Overrides the code's default status (only to another status listed in ApiErrorStatuses). */
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly cause?: unknown;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: ApiErrorCode;
  readonly status: number;
  readonly field: string | undefined;
  readonly details: readonly FieldIssue[] | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: ApiErrorCode, message: string, options: ApiErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status ?? ApiErrorCodes[code].status;
    this.field = options.field;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }

  /** One VALIDATION_FAILED for every issue at once; the first names `field` and `message`. */
  static validation(issues: readonly FieldIssue[]): ApiError {
    const [first] = issues;
    if (!first) throw new TypeError('ApiError.validation needs at least one issue');
    return new ApiError('VALIDATION_FAILED', first.message, { field: first.field, details: issues });
  }

  toJSON(): { error: { code: ApiErrorCode; message: string; field?: string; details?: readonly FieldIssue[] } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.field === undefined ? {} : { field: this.field }),
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

/**
 * Maps whatever a handler threw to the ApiError the client sees. `onDelete` picks 409 for STORE_REFERENCE
 * (still in use) rather than 422 (points at a missing id). Anything else is INTERNAL with a generic message.
 */
export function toApiError(err: unknown, context: { onDelete: boolean }): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof StoreError) {
    const field = err.field === undefined ? {} : { field: err.field };
    switch (err.code) {
      case 'STORE_CONFLICT':
        return new ApiError('CONFLICT', err.message, { ...field, cause: err });
      case 'STORE_REFERENCE':
        return new ApiError('REFERENCE', err.message, { ...field, status: context.onDelete ? 409 : 422, cause: err });
      case 'STORE_NOT_FOUND':
        return new ApiError('NOT_FOUND', err.message, { ...field, cause: err });
      case 'STORE_UNAVAILABLE':
        return new ApiError('UNAVAILABLE', 'the database is unavailable; retry later', { headers: { 'retry-after': '5' }, cause: err });
      case 'STORE_OUT_OF_RANGE':
        return new ApiError('AMOUNT_OUT_OF_RANGE', err.message, { ...field, cause: err });
    }
  }
  return new ApiError('INTERNAL', 'internal error; the cause is in the server log', { cause: err });
}
