/**
 * The admin API for tests that call it over HTTP: `startTestApi` serves it on a real node:http server over a
 * given Store (the change events the routes publish collected in `events`), with the client of api-client.ts
 * (re-exported here) bound to it; `expectError` checks an error reply.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { sendError } from '../../src/http/admin-server.js';
import { createApiHandler, type ApiDeps } from '../../src/http/api/index.js';
import { createLogger } from '../../src/observability/logger.js';
import type { ChangeEvent, Store } from '../../src/domain/ports.js';
import { apiClient, type ApiClient, type ApiJson, type ApiReply } from './api-client.js';

export * from './api-client.js';

export const TEST_API_TOKEN = 'test-admin-token-api-helper-5c1d';

export interface TestApi<J = ApiJson> extends ApiClient<J> {
  /** The change events published, unless `changes` was overridden. */
  readonly events: ChangeEvent[];
  /** The handler's closeStreams (what the admin listener calls when it drains). */
  closeStreams(): void;
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
    closeStreams: () => handler.closeStreams(),
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
