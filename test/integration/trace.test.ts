/**
 * Live traces end to end, in embedded mode: the real daemon, a trace started through the API with the admin token
 * (the bootstrap admin), a real Access-Request (FreeRADIUS's radtest when installed, else the repo's codec) and the
 * Server-Sent Events stream delivering the request and its reply decoded — User-Name shown, User-Password hidden —
 * until the trace is deleted. Also the API's validation and its limits per operator (429 TOO_MANY_REQUESTS), and
 * two instances sharing the hot cache (Redis when TEST_REDIS_URL is set): a trace started on one is matched by the
 * other's RADIUS, whose events reach the first one's stream.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACE_LIMITS } from '../../src/domain/trace.js';
import { Code } from '../../src/radius/codes.js';
import { encodeRequest } from '../../src/radius/crypto.js';
import type { Dictionary } from '../../src/radius/dictionary.js';
import { encodeAttributes } from '../../src/radius/encode.js';
import { expectError } from '../helpers/api.js';
import { createTestCache, type TestCache } from '../helpers/cache.js';
import { metricValue } from '../helpers/metrics.js';
import { haveRadclient, radtest } from '../helpers/radclient.js';
import { SECRET, startTestDaemon, testConfigInput, type TestDaemon } from '../helpers/daemon.js';
import { tcpConnect } from '../helpers/radsec.js';
import { exchange } from '../helpers/udp-client.js';

const TOKEN = 'trace-integration-admin-token-9f2c';

interface SseEvent {
  readonly type: string;
  readonly [key: string]: unknown;
}

interface PacketEvent extends SseEvent {
  readonly direction: 'in' | 'out';
  readonly code: string;
  readonly attributes: { name: string; vendor?: string; value: string }[];
}

/** An open event stream: its data lines parsed as they arrive, and the comments counted. */
function openStream(base: string, id: number) {
  const events: SseEvent[] = [];
  const controller = new AbortController();
  let comments = 0;
  let ended = false;
  const response = fetch(`${base}/api/v1/traces/${id}/events`, { headers: { authorization: `Bearer ${TOKEN}` }, signal: controller.signal });
  const done = response.then(async (res) => {
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffered += decoder.decode(chunk, { stream: true });
        let cut: number;
        while ((cut = buffered.indexOf('\n\n')) >= 0) {
          const frame = buffered.slice(0, cut);
          buffered = buffered.slice(cut + 2);
          if (frame.startsWith(':')) comments++;
          else if (frame.startsWith('data: ')) events.push(JSON.parse(frame.slice(6)) as SseEvent);
        }
      }
    } catch {
      // Aborted by the test.
    }
    ended = true;
  });
  return {
    response,
    events,
    done,
    get comments() {
      return comments;
    },
    get ended() {
      return ended;
    },
    close: () => controller.abort(),
  };
}

async function until(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A PAP Access-Request to the daemon: radtest when FreeRADIUS's tools are here, else the repo's codec. */
async function papRequest(dict: Dictionary, port: number, user: string, password: string): Promise<string | null> {
  if (haveRadclient) return (await radtest('pap', user, password, `127.0.0.1:${port}`, SECRET)).code;
  const secret = Buffer.from(SECRET);
  const authenticator = randomBytes(16);
  const attrs = encodeAttributes(
    dict,
    [
      { name: 'User-Name', value: user },
      { name: 'User-Password', value: password },
    ],
    { secret, authenticator },
  );
  const reply = await exchange(port, encodeRequest(Code.AccessRequest, 1, attrs, secret, { messageAuthenticator: true, authenticator }));
  return reply === null ? null : reply[0] === Code.AccessAccept ? 'Access-Accept' : 'Access-Reject';
}

describe('live trace through the API', () => {
  let d: TestDaemon;
  let base: string;
  beforeAll(async () => {
    d = await startTestDaemon(
      testConfigInput({
        admin: { listen: '127.0.0.1', port: 0, token: TOKEN },
        radius: { listen: ['127.0.0.1', '::1'], authPort: 0, acctPort: 0, replyCacheSeconds: 5, tcp: { port: 0 } },
      }),
    );
    base = d.api.base;
  });
  afterAll(() => d.stop());

  it('refuses a body that does not say what to trace, or for how long', async () => {
    expectError(await d.api.call('POST', '/api/v1/traces', {}), 400, 'VALIDATION_FAILED', 'username');
    expectError(await d.api.call('POST', '/api/v1/traces', { username: 'alice', nas: 'bras-v4' }), 400, 'VALIDATION_FAILED', 'username');
    expectError(await d.api.call('POST', '/api/v1/traces', { username: 'alice', minutes: 31 }), 400, 'VALIDATION_FAILED', 'minutes');
    expectError(await d.api.call('POST', '/api/v1/traces', { user: 'alice' }), 400, 'VALIDATION_FAILED', 'user');
    expectError(await d.api.call('GET', '/api/v1/traces/123/events'), 404, 'NOT_FOUND');
  });

  it('streams the request and the reply of the traced user, decoded, the password hidden, until deleted', async () => {
    const created = await d.api.call('POST', '/api/v1/traces', { username: 'alice', minutes: 2 });
    expect(created.status).toBe(201);
    const id = created.json.id as number;
    expect(created.json).toMatchObject({ filter: { username: 'alice' }, owner: 'bootstrap', local: true });
    expect(Date.parse(created.json.expiresAt as string) - Date.now()).toBeGreaterThan(100_000);
    expect((await d.api.call('GET', '/api/v1/traces')).json.items).toEqual([expect.objectContaining({ id })]);
    expect((await d.api.call('GET', `/api/v1/traces/${id}`)).json).toEqual(created.json);

    const stream = openStream(base, id);
    const res = await stream.response;
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    await until('the opening comment', () => stream.comments > 0);

    expect(await papRequest(d.app.dictionary, d.app.ports.auth, 'carol', 'password')).toBe('Access-Accept');
    expect(await papRequest(d.app.dictionary, d.app.ports.auth, 'alice', 'alice-password')).toBe('Access-Accept');
    await until('the request and the reply', () => stream.events.filter((e) => e.type === 'packet').length >= 2);
    const [request, reply] = stream.events.filter((e) => e.type === 'packet') as PacketEvent[];
    expect(request).toMatchObject({ trace: id, direction: 'in', code: 'Access-Request', nas: 'bras-v4' });
    expect(request?.attributes).toEqual(expect.arrayContaining([{ name: 'User-Name', value: 'alice' }, { name: 'User-Password', value: '[hidden 16 bytes]' }]));
    expect(reply).toMatchObject({ trace: id, direction: 'out', code: 'Access-Accept' });
    expect(reply?.attributes).toEqual(expect.arrayContaining([{ name: 'Mikrotik-Rate-Limit', vendor: 'Mikrotik', value: '50M/50M' }]));
    // Only alice's: carol's exchange before hers is not in the stream, and no password is anywhere in it.
    expect(JSON.stringify(stream.events)).not.toMatch(/carol|alice-password/);

    const metrics = await d.metrics();
    expect(metricValue(metrics, 'tollgate_traces_active')).toBe(1);
    expect(metricValue(metrics, 'tollgate_trace_events_total')).toBeGreaterThanOrEqual(2);

    expect((await d.api.call('DELETE', `/api/v1/traces/${id}`)).status).toBe(204);
    await stream.done;
    expect(stream.events.at(-1)).toEqual({ type: 'end', trace: id, reason: 'deleted' });
    expect((await d.api.call('GET', '/api/v1/traces')).json.items).toEqual([]);
    expectError(await d.api.call('DELETE', `/api/v1/traces/${id}`), 404, 'NOT_FOUND');
    expectError(await d.api.call('GET', `/api/v1/traces/${id}`), 404, 'NOT_FOUND');
    const audit = (await d.api.call('GET', `/api/v1/audit-log?target=trace:${id}`)).json.items as { action: string; login: string }[];
    expect(audit.map((a) => [a.action, a.login])).toEqual([
      ['trace.stop', 'bootstrap'],
      ['trace.start', 'bootstrap'],
    ]);
  });

  it('traces a stream listener (RADIUS/TCP) as the UDP one, on the same request path', async () => {
    const created = await d.api.call('POST', '/api/v1/traces', { username: 'alice', minutes: 1 });
    const id = created.json.id as number;
    const stream = openStream(base, id);
    expect((await stream.response).status).toBe(200);
    const c = await tcpConnect(d.app.ports.tcp);
    const secret = Buffer.from(SECRET);
    const authenticator = randomBytes(16);
    const attrs = encodeAttributes(d.app.dictionary, [{ name: 'User-Name', value: 'alice' }, { name: 'User-Password', value: 'alice-password' }], { secret, authenticator });
    c.write(encodeRequest(Code.AccessRequest, 42, attrs, secret, { messageAuthenticator: true, authenticator }));
    expect((await c.next(3000))[0]).toBe(Code.AccessAccept);
    const port = c.socket.localPort;
    c.close();
    await until('the TCP request and reply', () => stream.events.filter((e) => e.type === 'packet').length >= 2);
    expect(stream.events.filter((e) => e.type === 'packet').map((e) => [e.direction, e.code, e.identifier, e.client])).toEqual([
      ['in', 'Access-Request', 42, `127.0.0.1:${port}`],
      ['out', 'Access-Accept', 42, `127.0.0.1:${port}`],
    ]);
    expect((await d.api.call('DELETE', `/api/v1/traces/${id}`)).status).toBe(204);
    await stream.done;
  });

  it('bounds traces and event streams per operator with 429 TOO_MANY_REQUESTS', async () => {
    const ids: number[] = [];
    for (let i = 0; i < TRACE_LIMITS.perOperator; i++) {
      const r = await d.api.call('POST', '/api/v1/traces', { nas: i === 0 ? 'bras-v4' : '127.0.0.3' });
      expect(r.status).toBe(201);
      ids.push(r.json.id as number);
    }
    expectError(await d.api.call('POST', '/api/v1/traces', { username: 'alice' }), 429, 'TOO_MANY_REQUESTS');
    const traces = (await d.api.call('GET', '/api/v1/traces')).json.items as { filter: unknown }[];
    expect(traces.map((t) => t.filter)).toEqual([{ nas: 'bras-v4' }, { address: '127.0.0.3' }]);

    const streams = Array.from({ length: TRACE_LIMITS.streamsPerOperator }, () => openStream(base, ids[0] as number));
    for (const s of streams) expect((await s.response).status).toBe(200);
    await until('every stream open', () => streams.every((s) => s.comments > 0));
    const refused = await fetch(`${base}/api/v1/traces/${ids[0]}/events`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('TOO_MANY_REQUESTS');
    // A stream the client closes frees its place, once the server has seen the connection close.
    streams[0]?.close();
    let again = openStream(base, ids[0] as number);
    for (let i = 0; (await again.response).status === 429 && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 50));
      again = openStream(base, ids[0] as number);
    }
    expect((await again.response).status).toBe(200);
    for (const id of ids) expect((await d.api.call('DELETE', `/api/v1/traces/${id}`)).status).toBe(204);
    await Promise.all([again, ...streams.slice(1)].map((s) => s.done));
  });
});

describe('live trace across two instances sharing the hot cache', () => {
  let a: TestDaemon;
  let b: TestDaemon;
  let cache: TestCache;
  beforeAll(async () => {
    cache = await createTestCache();
    const admin = { listen: '127.0.0.1', port: 0, token: TOKEN };
    a = await startTestDaemon(testConfigInput({ admin }), undefined, undefined, { cache: cache.cache });
    b = await startTestDaemon(testConfigInput({ admin, fees: { enabled: false } }), undefined, a, { cache: cache.cache });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
    await cache?.cleanup();
  });

  it("streams from the instance serving the trace what another instance's RADIUS saw", async () => {
    const created = await a.api.call('POST', '/api/v1/traces', { username: 'alice' });
    expect(created.status).toBe(201);
    const id = created.json.id as number;
    // B learns of it from A's announcement, matches it, and counts it in the operator's limit.
    for (let i = 0; i < 100 && ((await b.api.call('GET', '/api/v1/traces')).json.items as unknown[]).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await b.api.call('GET', '/api/v1/traces')).json.items).toEqual([expect.objectContaining({ id, local: false, owner: 'bootstrap' })]);
    expectError(await b.api.call('GET', `/api/v1/traces/${id}/events`), 404, 'NOT_FOUND');

    const stream = openStream(a.api.base, id);
    expect((await stream.response).status).toBe(200);
    expect(await papRequest(b.app.dictionary, b.app.ports.auth, 'alice', 'alice-password')).toBe('Access-Accept');
    await until('the events B saw', () => stream.events.filter((e) => e.type === 'packet').length >= 2);
    expect(stream.events.filter((e) => e.type === 'packet').map((e) => [e.direction, e.code])).toEqual([
      ['in', 'Access-Request'],
      ['out', 'Access-Accept'],
    ]);

    expect((await a.api.call('DELETE', `/api/v1/traces/${id}`)).status).toBe(204);
    await stream.done;
    for (let i = 0; i < 100 && ((await b.api.call('GET', '/api/v1/traces')).json.items as unknown[]).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await b.api.call('GET', '/api/v1/traces')).json.items).toEqual([]);
  });
});
