/**
 * drainServer against real sockets: idle and half-sent connections close at once, a request being handled
 * finishes (and its connection closes after it), a stalled one is cut at the deadline.
 */
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createAdminServer } from '../../../src/http/admin-server.js';
import { applyServerTimeouts, drainServer, SERVER_OPTIONS, SERVER_TIMEOUTS, trackForDrain } from '../../../src/http/drain.js';
import { createLogger } from '../../../src/observability/logger.js';

const servers: http.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.closeAllConnections();
});

async function serve(handler: http.RequestListener, track = true): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer(SERVER_OPTIONS, handler);
  if (track) trackForDrain(server);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, port: (server.address() as net.AddressInfo).port };
}

/** A raw client: sends `text`, collects what comes back, resolves `closed` when the server closes it. */
async function client(port: number, text: string): Promise<{ socket: net.Socket; received: () => string; closed: Promise<number> }> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((r) => socket.once('connect', () => r()));
  let received = '';
  socket.on('data', (d: Buffer) => (received += d.toString()));
  socket.on('error', () => undefined);
  const opened = Date.now();
  const closed = new Promise<number>((r) => socket.once('close', () => r(Date.now() - opened)));
  socket.write(text);
  return { socket, received: () => received, closed };
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('drainServer', () => {
  it('closes idle keep-alive and half-sent connections at once; cuts a stalled body at the deadline', async () => {
    const { server, port } = await serve((req, res) => {
      if (req.method === 'POST') {
        // Waits for a body that never arrives in full.
        req.on('end', () => res.end('posted'));
        req.resume();
        return;
      }
      res.end('ok');
    });
    const idle = await client(port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    const halfHeaders = await client(port, 'GET / HTTP/1.1\r\nHost: x\r\nX-Half');
    const halfBody = await client(port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"a":');
    await tick(100);
    expect(idle.received()).toContain('200 OK');

    const started = Date.now();
    const report = await drainServer(server, 500);
    const took = Date.now() - started;
    expect(report).toEqual({ idle: 2, completed: 0, destroyed: 1 });
    expect(took).toBeGreaterThanOrEqual(450);
    expect(took).toBeLessThan(1500);
    // The idle and half-sent ones closed right away, long before the deadline.
    const [a, b] = await Promise.all([idle.closed, halfHeaders.closed, halfBody.closed]);
    expect(a).toBeLessThan(100 + 300);
    expect(b).toBeLessThan(100 + 300);
    expect(server.listening).toBe(false);
  });

  it('a request being handled finishes within the deadline, with Connection: close', async () => {
    const { server, port } = await serve((_req, res) => {
      setTimeout(() => res.end('slow but done'), 200);
    });
    const slow = await client(port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await tick(50);
    const started = Date.now();
    const report = await drainServer(server, 2000);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(report).toEqual({ idle: 0, completed: 1, destroyed: 0 });
    await slow.closed;
    expect(slow.received()).toContain('slow but done');
    expect(slow.received().toLowerCase()).toContain('connection: close');
  });

  it('refuses new connections once draining', async () => {
    const { server, port } = await serve((_req, res) => {
      setTimeout(() => res.end('x'), 300);
    });
    const busy = await client(port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await tick(50);
    const draining = drainServer(server, 2000);
    const refused = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => s.once('close', () => resolve(true)));
      s.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
    await draining;
    await busy.closed;
  });

  it('an untracked server still drains within the deadline', async () => {
    const { server, port } = await serve((_req, res) => res.end('ok'), false);
    const halfHeaders = await client(port, 'GET / HTTP/1.1\r\nHost: x\r\nX-Half');
    await tick(50);
    const started = Date.now();
    await drainServer(server, 300);
    expect(Date.now() - started).toBeLessThan(1000);
    await halfHeaders.closed;
  });
});

describe('server timeouts', () => {
  it('the admin listener bounds the headers, the request and idle keep-alive', () => {
    const server = createAdminServer({ log: createLogger('silent'), ready: () => true, metrics: () => Promise.resolve({ contentType: 'text/plain', body: '' }) });
    expect(server.headersTimeout).toBe(SERVER_TIMEOUTS.headersTimeout);
    expect(server.requestTimeout).toBe(SERVER_TIMEOUTS.requestTimeout);
    expect(server.keepAliveTimeout).toBe(SERVER_TIMEOUTS.keepAliveTimeout);
  });

  it('a request whose headers stall is answered 408 and closed soon after headersTimeout, not 30 s later', async () => {
    const { server, port } = await serve((_req, res) => res.end('ok'));
    applyServerTimeouts(server, { headersTimeout: 300, requestTimeout: 600 });
    const stalled = await client(port, 'GET / HTTP/1.1\r\nHost: x\r\nX-Half');
    // Checked every connectionsCheckingInterval (1 s with SERVER_OPTIONS; Node's default is 30 s).
    expect(await stalled.closed).toBeLessThan(2500);
    expect(stalled.received()).toContain('408');
  });
});
