/**
 * The admin API for tests that call it over HTTP: `startTestApi` serves it on a real node:http server over a
 * given Store (the change events the routes publish collected in `events`), `apiClient` calls any admin
 * listener (a test daemon's too) with the bearer token and JSON, and `expectError` checks an error reply.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { sendError } from '../../src/http/admin-server.js';
import { createApiHandler, type ApiDeps } from '../../src/http/api/index.js';
import { createLogger } from '../../src/observability/logger.js';
import type { ChangeEvent, Store } from '../../src/domain/ports.js';
import { fetchReply, type HttpReply } from './http.js';

export const TEST_API_TOKEN = 'test-admin-token-api-helper-5c1d';

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

export interface TestApi<J = ApiJson> extends ApiClient<J> {
  /** The change events published, unless `changes` was overridden. */
  readonly events: ChangeEvent[];
  close(): Promise<void>;
}

/**
 * The admin API over `store` with the test token and a silent log; `overrides` replace any of its dependencies
 * (the token the client sends follows `overrides.token`). A path the API does not serve answers 404 FALLBACK,
 * and a handler that throws answers 599 with the error, so a test sees it in the reply.
 */
export async function startTestApi<J = ApiJson>(store: Store, overrides: Partial<ApiDeps> = {}): Promise<TestApi<J>> {
  const events: ChangeEvent[] = [];
  const deps: ApiDeps = {
    store,
    changes: { publish: (e) => Promise.resolve(void events.push(e)) },
    token: TEST_API_TOKEN,
    log: createLogger('silent'),
    ...overrides,
  };
  const handler = createApiHandler(deps);
  const server = http.createServer((req, res) => {
    handler(req, res).then(
      (handled) => {
        if (!handled) sendError(res, 404, 'FALLBACK', 'not an API path');
      },
      (err: unknown) => {
        res.statusCode = 599;
        res.end(String(err));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = apiClient<J>(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, deps.token);
  return {
    ...client,
    events,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An error reply of the admin API: this status, a JSON body, this code with a message, and the field if given. */
export function expectError(r: ApiReply<unknown>, status: number, code: string, field?: string): void {
  const error = (r.json as ApiJson).error;
  expect(r.status, r.text).toBe(status);
  expect(r.headers.get('content-type'), r.text).toMatch(/^application\/json/);
  expect(error?.code, r.text).toBe(code);
  expect(typeof error?.message, r.text).toBe('string');
  if (field !== undefined) expect(error?.field, r.text).toBe(field);
}
