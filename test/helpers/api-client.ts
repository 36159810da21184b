/**
 * A client of the admin API for tests: any admin listener (a server of startTestApi, the test daemon's, a fault
 * test's child process), with the bearer token and JSON bodies, and the loose types of its replies. It imports
 * nothing of the daemon, so a black-box test can use it.
 */
import { fetchReply, type HttpReply } from './http.js';

export interface ApiError {
  readonly code: string;
  readonly message: string;
  readonly field?: string;
  readonly details: readonly { field: string; message: string }[];
}

export interface ApiRow {
  readonly id: number;
  readonly [key: string]: unknown;
}

/**
 * Every shape a reply body of the admin API takes (a row, a page of rows, an error), loosely: the assertions do
 * the checking. For tests that read the body field by field; the default, `ApiJson`, is any JSON object.
 */
export interface ApiBody extends ApiRow {
  readonly error: ApiError;
  readonly items: ApiRow[];
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}

/** A reply body as any JSON object (cast it to what the route returns). */
export type ApiJson = Record<string, unknown> & { readonly error?: ApiError };

export type ApiReply<J = ApiJson> = HttpReply<J>;

export interface CallOptions {
  /** The bearer token instead of the client's; null sends no Authorization header. */
  readonly token?: string | null;
  readonly headers?: Record<string, string>;
  /** A body sent as it is (no content type added), instead of JSON. */
  readonly raw?: string | Buffer;
}

export interface ApiClient<J = ApiJson> {
  /** http://127.0.0.1:port */
  readonly base: string;
  /** `body` goes as JSON (with its content type); the reply is read whatever its status. */
  call(method: string, path: string, body?: unknown, options?: CallOptions): Promise<ApiReply<J>>;
}

export function apiClient<J = ApiJson>(base: string, token: string | undefined): ApiClient<J> {
  return {
    base,
    call(method, path, body, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      const bearer = options.token === undefined ? token : options.token;
      if (bearer !== null && bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
      let payload: string | Buffer | undefined = options.raw;
      if (body !== undefined) {
        payload = JSON.stringify(body);
        headers['content-type'] ??= 'application/json';
      }
      return fetchReply<J>(`${base}${path}`, { method, headers, ...(payload === undefined ? {} : { body: payload }) });
    },
  };
}
