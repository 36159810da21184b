/**
 * The admin API on a real node:http server over a given Store, for tests that call it with fetch: `call` sends
 * the token and JSON, `events` collects the change events the routes publish.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendError } from '../../src/http/admin-server.js';
import { createApiHandler } from '../../src/http/api/index.js';
import { createLogger } from '../../src/observability/logger.js';
import type { ChangeEvent, Store } from '../../src/domain/ports.js';

export const TEST_API_TOKEN = 'test-admin-token-api-helper-5c1d';

export interface ApiError {
  readonly code: string;
  readonly message: string;
  readonly field?: string;
  readonly details?: readonly { field: string; message: string }[];
}

export interface ApiReply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed body, `{}` when it is empty or not JSON (assertions on it then fail with `text`). */
  readonly json: Record<string, unknown> & { readonly error?: ApiError };
}

export interface TestApi {
  call(method: string, path: string, body?: unknown): Promise<ApiReply>;
  readonly events: ChangeEvent[];
  close(): Promise<void>;
}

export async function startTestApi(store: Store): Promise<TestApi> {
  const events: ChangeEvent[] = [];
  const handler = createApiHandler({
    store,
    changes: { publish: (e) => Promise.resolve(void events.push(e)) },
    token: TEST_API_TOKEN,
    log: createLogger('silent'),
  });
  const server = http.createServer((req, res) => {
    void handler(req, res).then((handled) => {
      if (!handled) sendError(res, 404, 'FALLBACK', 'not an API path');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    events,
    async call(method, path, body) {
      const headers: Record<string, string> = { authorization: `Bearer ${TEST_API_TOKEN}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
      const text = await res.text();
      let json: ApiReply['json'] = {};
      try {
        if (text) json = JSON.parse(text) as ApiReply['json'];
      } catch {
        // Not JSON: the caller's assertions fail with the text in the message.
      }
      return { status: res.status, headers: res.headers, text, json };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
