/**
 * The batched UDP socket (native/udp-batch through src/transport/batch-socket.ts) on real loopback sockets, IPv4
 * and IPv6, port 0: datagrams of random sizes and bytes arrive intact and in full, and come back the same through
 * sendmmsg; a datagram longer than a RADIUS packet is counted and never delivered in part; close() while traffic
 * arrives delivers nothing more; errors carry their errno name. Without the addon (no compiler at install) the
 * server falls back to node:dgram, which the last block checks with the addon pointed at a file that is not there.
 */
import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/logger.js';
import { registry } from '../../../src/observability/metrics.js';
import { Attr, Code } from '../../../src/radius/codes.js';
import { encodeRequest, hidePassword, randomAuthenticator } from '../../../src/radius/crypto.js';
import { BatchSocket, loadUdpBatch, MAX_DATAGRAM } from '../../../src/transport/batch-socket.js';
import { NasTable } from '../../../src/transport/nas-table.js';
import { chooseIo } from '../../../src/transport/udp-endpoint.js';
import { UdpServer } from '../../../src/transport/udp-server.js';
import type { Handlers } from '../../../src/radius/handler.js';
import { accountingRequest, exchange } from '../../helpers/udp-client.js';
import { logSink } from '../../helpers/log.js';

const load = loadUdpBatch();
const addon = load.ok ? load.addon : null;

interface Received {
  msg: Buffer;
  address: string;
  port: number;
}

const open: BatchSocket[] = [];
const clients: dgram.Socket[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
  for (const c of clients.splice(0)) c.close();
});

/** A batch socket that records what it receives and, when `echo`, sends every datagram back to its sender. */
function batchSocket(address: string, options: { echo?: boolean; reusePort?: boolean; groupSize?: number; port?: number } = {}) {
  if (!addon) throw new Error('the udp-batch addon is not built');
  const received: Received[] = [];
  const errors: Error[] = [];
  let truncated = 0;
  const socket: BatchSocket = new BatchSocket(addon, {
    address,
    port: options.port ?? 0,
    receiveBufferBytes: 4 << 20,
    sendBufferBytes: 4 << 20,
    reusePort: options.reusePort ?? false,
    groupSize: options.groupSize ?? 0,
    onMessage: (msg, from, port) => {
      received.push({ msg: Buffer.from(msg), address: from, port });
      if (options.echo) socket.send(msg, port, from);
    },
    onTruncated: (n) => (truncated += n),
    onError: (err) => errors.push(err),
  });
  open.push(socket);
  return { socket, received, errors, truncated: () => truncated };
}

async function client(type: 'udp4' | 'udp6'): Promise<{ socket: dgram.Socket; replies: Buffer[] }> {
  const socket = dgram.createSocket({ type, recvBufferSize: 4 << 20, sendBufferSize: 4 << 20 });
  clients.push(socket);
  const replies: Buffer[] = [];
  socket.on('message', (m) => replies.push(m));
  await new Promise<void>((resolve) => socket.bind({ address: type === 'udp6' ? '::1' : '127.0.0.1', port: 0 }, () => resolve()));
  return { socket, replies };
}

function send(socket: dgram.Socket, datagram: Buffer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => socket.send(datagram, port, host, (err) => (err ? reject(err) : resolve())));
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 5));
  }
}

const digest = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const sortedDigests = (bufs: readonly Buffer[]) => bufs.map(digest).sort();

describe.runIf(addon)('BatchSocket (the udp-batch addon)', () => {
  it('round trip on IPv4: the sender address and port come with the datagram, the reply goes back to them', async () => {
    const server = batchSocket('127.0.0.1', { echo: true });
    const c = await client('udp4');
    await send(c.socket, Buffer.from('hello'), server.socket.port, '127.0.0.1');
    await until(() => c.replies.length === 1);
    expect(c.replies.map(String)).toEqual(['hello']);
    expect(server.received[0]).toMatchObject({ address: '127.0.0.1', port: c.socket.address().port });
    expect(server.socket.stats()).toMatchObject({ received: 1, sent: 1, truncated: 0, sendErrors: 0 });
  });

  it('round trip on IPv6', async () => {
    const server = batchSocket('::1', { echo: true });
    const c = await client('udp6');
    await send(c.socket, Buffer.from('over six'), server.socket.port, '::1');
    await until(() => c.replies.length === 1);
    expect(c.replies.map(String)).toEqual(['over six']);
    expect(server.received[0]).toMatchObject({ address: '::1', port: c.socket.address().port });
  });

  it('bursts of datagrams of random sizes and bytes arrive intact and in full, and come back the same', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ minLength: 0, maxLength: MAX_DATAGRAM }), { minLength: 1, maxLength: 300 }), async (arrays) => {
        const server = batchSocket('127.0.0.1', { echo: true });
        const c = await client('udp4');
        const datagrams = arrays.map((a) => Buffer.from(a));
        // A few in flight at a time: the test is about content, not about the kernel's buffers.
        for (let i = 0; i < datagrams.length; i += 32) {
          await Promise.all(datagrams.slice(i, i + 32).map((d) => send(c.socket, d, server.socket.port, '127.0.0.1')));
        }
        await until(() => c.replies.length >= datagrams.length);
        expect(server.received).toHaveLength(datagrams.length);
        expect(sortedDigests(server.received.map((r) => r.msg))).toEqual(sortedDigests(datagrams));
        expect(sortedDigests(c.replies)).toEqual(sortedDigests(datagrams));
        expect(server.truncated()).toBe(0);
        expect(server.errors).toEqual([]);
        await server.socket.close();
      }),
      { numRuns: 6 },
    );
  });

  it('a burst sent all at once is read in batches of many datagrams, every one intact', async () => {
    const server = batchSocket('127.0.0.1', { echo: true });
    const c = await client('udp4');
    const datagrams = fc.sample(fc.uint8Array({ minLength: 20, maxLength: 1500 }), { numRuns: 2000, seed: 16 }).map((a) => Buffer.from(a));
    await Promise.all(datagrams.map((d) => send(c.socket, d, server.socket.port, '127.0.0.1')));
    await until(() => c.replies.length >= datagrams.length);
    expect(sortedDigests(server.received.map((r) => r.msg))).toEqual(sortedDigests(datagrams));
    expect(sortedDigests(c.replies)).toEqual(sortedDigests(datagrams));
    const stats = server.socket.stats();
    expect(stats).toMatchObject({ received: datagrams.length, sent: datagrams.length, truncated: 0, sendDropped: 0, sendErrors: 0 });
    // Fewer callbacks than datagrams: that is the point of the addon.
    expect(stats.batches).toBeLessThan(datagrams.length);
  });

  it('takes a datagram of exactly 4096 octets; one longer is counted and dropped, never delivered in part', async () => {
    const server = batchSocket('127.0.0.1');
    const c = await client('udp4');
    const full = Buffer.alloc(MAX_DATAGRAM, 0xab);
    for (const d of [full, Buffer.alloc(MAX_DATAGRAM + 1, 1), Buffer.alloc(20_000, 2), Buffer.from('after')]) await send(c.socket, d, server.socket.port, '127.0.0.1');
    await until(() => server.received.length === 2);
    await new Promise((r) => setTimeout(r, 50));
    expect(server.received.map((r) => r.msg.length)).toEqual([MAX_DATAGRAM, 5]);
    expect(server.received[0]?.msg.equals(full)).toBe(true);
    expect(server.truncated()).toBe(2);
    expect(server.socket.stats().truncated).toBe(2);
  });

  it('close() while datagrams keep arriving: no crash, and nothing is delivered after it', async () => {
    let closedAt = -1;
    const server = batchSocket('127.0.0.1', { echo: true });
    const c = await client('udp4');
    const port = server.socket.port;
    let sending = true;
    const blast = (async () => {
      while (sending) {
        await Promise.all(Array.from({ length: 16 }, (_, i) => send(c.socket, Buffer.alloc(64, i), port, '127.0.0.1')));
        await new Promise((r) => setImmediate(r));
      }
    })();
    await until(() => server.received.length > 200);
    closedAt = server.received.length;
    const closing = server.socket.close();
    expect(server.received).toHaveLength(closedAt);
    await closing;
    await new Promise((r) => setTimeout(r, 100));
    sending = false;
    await blast;
    expect(closedAt).toBeGreaterThan(200);
    expect(server.received).toHaveLength(closedAt);
    expect(server.errors).toEqual([]);
    // A second close() is harmless.
    await server.socket.close();
  });

  it('a handler that closes the socket gets no further datagram, not even the rest of its batch', async () => {
    if (!addon) return;
    let delivered = 0;
    let socket: BatchSocket | null = null;
    socket = new BatchSocket(addon, {
      address: '127.0.0.1',
      port: 0,
      receiveBufferBytes: 1 << 20,
      sendBufferBytes: 1 << 20,
      reusePort: false,
      onMessage: () => {
        delivered++;
        void socket?.close();
      },
      onTruncated: () => undefined,
      onError: () => undefined,
    });
    open.push(socket);
    const c = await client('udp4');
    await Promise.all(Array.from({ length: 20 }, () => send(c.socket, Buffer.from('x'), socket.port, '127.0.0.1')));
    await new Promise((r) => setTimeout(r, 100));
    expect(delivered).toBe(1);
  });

  it('errors are exceptions with the errno name: a port in use, an address not on this host', () => {
    const first = batchSocket('127.0.0.1');
    expect(() => batchSocket('127.0.0.1', { port: first.socket.port })).toThrow(expect.objectContaining({ code: 'EADDRINUSE', syscall: 'bind' }) as Error);
    expect(() => batchSocket('192.0.2.1')).toThrow(expect.objectContaining({ code: 'EADDRNOTAVAIL', syscall: 'bind' }) as Error);
  });

  it('a reply that cannot be sent is reported on the error callback, and the others still go', async () => {
    const server = batchSocket('127.0.0.1');
    const c = await client('udp4');
    server.socket.send(Buffer.from('nowhere'), 0, '127.0.0.1');
    server.socket.send(Buffer.from('somewhere'), c.socket.address().port, '127.0.0.1');
    await until(() => c.replies.length === 1 && server.errors.length === 1);
    expect(c.replies.map(String)).toEqual(['somewhere']);
    expect(server.errors[0]).toMatchObject({ code: 'EINVAL' });
  });

  it('SO_REUSEPORT: two sockets on one port share the senders between them (how cluster workers each own one)', async () => {
    const a = batchSocket('127.0.0.1', { reusePort: true });
    const b = batchSocket('127.0.0.1', { reusePort: true, port: a.socket.port });
    const senders = await Promise.all(Array.from({ length: 16 }, () => client('udp4')));
    for (const s of senders) await send(s.socket, Buffer.from('hi'), a.socket.port, '127.0.0.1');
    await until(() => a.received.length + b.received.length === senders.length);
    expect(a.received.length + b.received.length).toBe(senders.length);
    // The kernel hashes the sender: 16 senders all on one socket would be a chance of 2^-15.
    expect(a.received.length).toBeGreaterThan(0);
    expect(b.received.length).toBeGreaterThan(0);
  });

  it('groupSize: one sender is spread over the group by Identifier, and a retransmission reaches the same socket', async () => {
    const a = batchSocket('127.0.0.1', { reusePort: true, groupSize: 2 });
    const b = batchSocket('127.0.0.1', { reusePort: true, groupSize: 2, port: a.socket.port });
    const c = await client('udp4');
    // Code, Identifier, then anything: Identifier 0..7, each sent twice (the second is the retransmission).
    const datagram = (id: number) => Buffer.from([1, id, 0, 4]);
    for (let round = 0; round < 2; round++) for (let id = 0; id < 8; id++) await send(c.socket, datagram(id), a.socket.port, '127.0.0.1');
    await until(() => a.received.length + b.received.length === 16);
    const ids = (r: { received: Received[] }) => r.received.map((x) => x.msg[1] as number);
    // Identifier mod 2 picks the socket by its place in the group (the order they bound in).
    const [even, odd] = ids(a).every((id) => id % 2 === 0) ? [a, b] : [b, a];
    expect(ids(even).sort((x, y) => x - y)).toEqual([0, 0, 2, 2, 4, 4, 6, 6]);
    expect(ids(odd).sort((x, y) => x - y)).toEqual([1, 1, 3, 3, 5, 5, 7, 7]);
  });

  it('groupSize: a datagram too short to have an Identifier is still delivered (to one socket), not lost in the kernel', async () => {
    const a = batchSocket('127.0.0.1', { reusePort: true, groupSize: 2 });
    const b = batchSocket('127.0.0.1', { reusePort: true, groupSize: 2, port: a.socket.port });
    const c = await client('udp4');
    await send(c.socket, Buffer.from([1]), a.socket.port, '127.0.0.1');
    await until(() => a.received.length + b.received.length === 1);
    expect(a.received.length + b.received.length).toBe(1);
  });
});

describe('radius.io fallback', () => {
  const SECRET = 'fallback-unit-secret';
  let server: UdpServer | undefined;
  afterEach(async () => {
    await server?.stop(100);
    server = undefined;
  });

  function udpServer(io: 'auto' | 'batch' | 'dgram', batchAddonFile?: string, accounting: Handlers['accounting'] = () => null) {
    const nas = new NasTable([{ name: 'bras-1', address: '127.0.0.1', secret: SECRET, vendor: 'generic', coaPort: 3799 }], {
      requireMessageAuthenticator: false,
      limitProxyState: false,
    });
    const log = logSink();
    server = new UdpServer(
      nas,
      { access: () => ({ code: Code.AccessAccept, attributes: [] }), accounting },
      {
        listen: ['127.0.0.1'],
        authPort: 0,
        acctPort: 0,
        receiveBufferBytes: 1 << 20,
        sendBufferBytes: 1 << 20,
        replyCacheSeconds: 0,
        unknownClientLogIntervalSeconds: 60,
        shared: false,
        io,
        ...(batchAddonFile !== undefined ? { batchAddonFile } : {}),
      },
      createLogger('info', log.stream),
    );
    return { server, lines: log.lines };
  }

  function accessRequest(): Buffer {
    const authenticator = randomAuthenticator();
    const secret = Buffer.from(SECRET);
    return encodeRequest(
      Code.AccessRequest,
      1,
      [
        { type: Attr.UserName, value: Buffer.from('u') },
        { type: Attr.UserPassword, value: hidePassword(Buffer.from('p'), secret, authenticator) },
      ],
      secret,
      { messageAuthenticator: true, authenticator },
    );
  }

  it('auto without the addon: node:dgram, said in the log and the metric, and the server answers', async () => {
    const { server: s, lines } = udpServer('auto', '/nonexistent/udp_batch.node');
    await s.start();
    expect(s.io()).toBe('dgram');
    expect(lines.find((l) => l.msg === 'RADIUS UDP I/O falls back to node:dgram')).toMatchObject({ io: 'dgram', reason: expect.stringContaining('not built') as string });
    expect(lines.find((l) => l.msg === 'RADIUS listener ready')).toMatchObject({ io: 'dgram' });
    const text = await registry.metrics();
    expect(text).toContain('tollgate_radius_udp_io_info{io="dgram"} 1');
    expect(text).toContain('tollgate_radius_udp_io_info{io="batch"} 0');
    expect((await exchange(s.ports().auth, accessRequest()))?.[0]).toBe(Code.AccessAccept);
  });

  it('batch asked for by name without the addon: the start fails and says why', async () => {
    const { server: s } = udpServer('batch', '/nonexistent/udp_batch.node');
    await expect(s.start()).rejects.toThrow(/radius.io is batch but the udp-batch addon cannot be used/);
  });

  it.runIf(addon)('auto with the addon: batch, in the log and the metric', async () => {
    const { server: s, lines } = udpServer('auto');
    await s.start();
    expect(s.io()).toBe('batch');
    expect(lines.find((l) => l.msg === 'RADIUS listener ready')).toMatchObject({ io: 'batch' });
    expect(await registry.metrics()).toContain('tollgate_radius_udp_io_info{io="batch"} 1');
    expect((await exchange(s.ports().auth, accessRequest()))?.[0]).toBe(Code.AccessAccept);
  });

  it.runIf(addon)('batch: a reply that completes later (a promise, as accounting after its journal commit) is sent too', async () => {
    const { server: s } = udpServer('batch', undefined, () => new Promise((resolve) => setTimeout(() => resolve({ code: Code.AccountingResponse, attributes: [] }), 20)));
    await s.start();
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) => exchange(s.ports().acct, accountingRequest(Buffer.from(SECRET), 'u', `later-${i}`, 1, 0, i))),
    );
    expect(replies.map((r) => r?.[0])).toEqual(Array.from({ length: 10 }, () => Code.AccountingResponse));
  });

  it('cluster workers on port 0 stay on the dgram socket the primary shares; dgram is dgram', () => {
    expect(chooseIo('batch', { shared: true, ports: [0, 0] }).io).toBe('dgram');
    expect(chooseIo('dgram', { shared: false, ports: [1812, 1813] }).io).toBe('dgram');
  });
});
