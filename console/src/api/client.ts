/**
 * The console's one way to the admin API: `api`, openapi-fetch typed by schema.d.ts (generated from the OpenAPI
 * document, `npm run gen:api-types`). It sends the session cookie (credentials 'same-origin') and, on unsafe
 * methods, the session's CSRF token as X-CSRF-Token (answered by the login and again by GET /auth/me, so a
 * reload keeps it). The event streams are read with EventSource (./events.ts types their payloads).
 * A failure is thrown as ApiFailure carrying the API's own code and message, which the pages show as worded.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

export const API = '/api/v1';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const CSRF_KEY = 'tollgate.csrf';

let csrfToken: string | null = sessionStorage.getItem(CSRF_KEY);
let onUnauthorized: () => void = () => {};

/** The token the login (or who-am-I) answered with; null at logout. Kept for this tab (sessionStorage). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
  if (token === null) sessionStorage.removeItem(CSRF_KEY);
  else sessionStorage.setItem(CSRF_KEY, token);
}

/** Called on any 401 (the session ended): the app shows the login again. */
export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

/** An error as the API words it: `{ error: { code, message, field? } }`, or a network failure (`NETWORK`). */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly body?: unknown,
  ) {
    super(message);
  }
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (UNSAFE.has(request.method.toUpperCase()) && csrfToken) request.headers.set('x-csrf-token', csrfToken);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) onUnauthorized();
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(csrf);

/** The error of a parsed failure body, or a generic one naming the status. */
export function failureOf(status: number, body: unknown): ApiFailure {
  const err = (body as { error?: { code?: unknown; message?: unknown; field?: unknown } } | null)?.error;
  if (err && typeof err.code === 'string' && typeof err.message === 'string') {
    return new ApiFailure(status, err.code, err.message, typeof err.field === 'string' ? err.field : undefined, body);
  }
  return new ApiFailure(status, `HTTP_${status}`, `HTTP ${status}`, undefined, body);
}

/** openapi-fetch's `{ data, error, response }` → the data, or throws ApiFailure. */
export async function unwrap<T>(pending: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await pending;
  } catch (err) {
    throw new ApiFailure(0, 'NETWORK', err instanceof Error ? err.message : String(err));
  }
  if (result.error !== undefined || !result.response.ok) throw failureOf(result.response.status, result.error);
  return result.data as T;
}

/** A query string from the defined, non-empty values. */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
