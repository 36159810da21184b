/**
 * HTTP for tests, one reply shape for every listener (admin API, portal, widget): status, headers, the body as
 * text and parsed as JSON. `fetchReply` goes through fetch; `request` through node:http, for what fetch cannot
 * do: choose the loopback source address (the portal tells subscribers apart by it) and send exactly the headers
 * given (fetch adds Accept-Language and Accept-Encoding of its own).
 */
import http from 'node:http';

export interface HttpReply<J = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON, `{}` when it is empty or not JSON (assertions on it then fail with `text`). */
  readonly json: J;
}

function reply<J>(status: number, headers: Headers, text: string): HttpReply<J> {
  let json = {} as J;
  try {
    if (text) json = JSON.parse(text) as J;
  } catch {
    // Not JSON: the caller's assertions on json fail with the text in the message.
  }
  return { status, headers, text, json };
}

export async function fetchReply<J = Record<string, unknown>>(url: string, init: RequestInit = {}): Promise<HttpReply<J>> {
  const res = await fetch(url, init);
  return reply<J>(res.status, res.headers, await res.text());
}

export interface RequestOptions {
  readonly method?: string;
  /** The loopback source address (default 127.0.0.1). */
  readonly from?: string;
  /** Sent as X-Forwarded-For. */
  readonly xff?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

/** One request to 127.0.0.1:`port` on a connection of its own, from the source address `from`. */
export function request<J = Record<string, unknown>>(port: number, path: string, options: RequestOptions = {}): Promise<HttpReply<J>> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.xff !== undefined) headers['x-forwarded-for'] = options.xff;
    if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
    const req = http.request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers, localAddress: options.from ?? '127.0.0.1', agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const received = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) received.append(name, v);
          }
          resolve(reply<J>(res.statusCode ?? 0, received, Buffer.concat(chunks).toString('utf8')));
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error(`timeout: ${path}`)));
    req.on('error', reject);
    req.end(options.body);
  });
}
