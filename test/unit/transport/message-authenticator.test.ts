/**
 * `requireMessageAuthenticator: auto` and the per-NAS Message-Authenticator counts, through a real UdpServer on a
 * loopback socket: a legacy request is answered until the NAS sends a valid Message-Authenticator, which flips the
 * client at once (logged once, stored off the reply path, retried when the store fails); from then on a request
 * without one is dropped and counted. The store here is a function recording what it is asked to keep.
 */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/logger.js';
import { messageAuthenticatorCounts, radiusDropped, registry } from '../../../src/observability/metrics.js';
import { Attr, Code } from '../../../src/radius/codes.js';
import { encodeRequest, hidePassword, randomAuthenticator } from '../../../src/radius/crypto.js';
import type { RawAttribute } from '../../../src/radius/packet.js';
import { MessageAuthenticatorWatch, type RecordSighting } from '../../../src/transport/message-authenticator.js';
import { NasTable, type NasClientSpec } from '../../../src/transport/nas-table.js';
import { loadUdpBatch } from '../../../src/transport/batch-socket.js';
import type { UdpIo } from '../../../src/transport/udp-endpoint.js';
import { UdpServer } from '../../../src/transport/udp-server.js';
import { exchange } from '../../helpers/udp-client.js';
import { logSink } from '../../helpers/log.js';

const SECRET = 'ma-auto-unit-secret-1';
const secret = Buffer.from(SECRET);

let server: UdpServer | undefined;
let watch: MessageAuthenticatorWatch | undefined;
afterEach(async () => {
  await server?.stop(100);
  await watch?.stop();
  server = undefined;
  watch = undefined;
});

async function start(specs: NasClientSpec[], record: RecordSighting, io: UdpIo = 'dgram') {
  const log = logSink();
  const logger = createLogger('info', log.stream);
  watch = new MessageAuthenticatorWatch(record, logger);
  const defaults = { requireMessageAuthenticator: true, limitProxyState: false } as const;
  const table = new NasTable(specs, defaults, { watch });
  server = new UdpServer(
    table,
    { access: () => ({ code: Code.AccessAccept, attributes: [] }), accounting: () => null },
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
    },
    logger,
  );
  await server.start();
  return { port: server.ports().auth, lines: log.lines, table, rebuild: () => new NasTable(specs, defaults, { watch }) };
}

let nextId = 0;
function attrs(authenticator: Buffer, extra: RawAttribute[] = []): RawAttribute[] {
  return [
    { type: Attr.UserName, value: Buffer.from('alice') },
    { type: Attr.UserPassword, value: hidePassword(Buffer.from('pw'), secret, authenticator) },
    ...extra,
  ];
}

function request(options: { ma: boolean; proxyState?: boolean; secretUsed?: Buffer }): Buffer {
  const authenticator = randomAuthenticator();
  const extra = options.proxyState ? [{ type: Attr.ProxyState, value: Buffer.from('ps-1') }] : [];
  return encodeRequest(Code.AccessRequest, ++nextId & 0xff, attrs(authenticator, extra), options.secretUsed ?? secret, { messageAuthenticator: options.ma, authenticator });
}

/** A request whose (valid) Message-Authenticator is the last attribute, not the first. */
function requestWithLateMa(): Buffer {
  const authenticator = randomAuthenticator();
  const buf = encodeRequest(Code.AccessRequest, ++nextId & 0xff, [...attrs(authenticator), { type: Attr.MessageAuthenticator, value: Buffer.alloc(16) }], secret, {
    messageAuthenticator: false,
    authenticator,
  });
  createHmac('md5', secret).update(buf).digest().copy(buf, buf.length - 16);
  return buf;
}

async function dropped(reason: string): Promise<number> {
  return (await radiusDropped.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0;
}

const flips = (lines: Record<string, unknown>[]) => lines.filter((l) => String(l.msg).startsWith('NAS sent a valid Message-Authenticator'));
const until = async (what: () => boolean, ms = 3000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!what()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

// Both UDP I/O paths (the batch one when the addon is built, as `npm install` does here).
const paths: UdpIo[] = loadUdpBatch().ok ? ['dgram', 'batch'] : ['dgram'];

describe.each(paths)('requireMessageAuthenticator: auto (radius.io %s)', (io) => {
  it('answers without Message-Authenticator until one is seen, then requires it for good; logged once, stored once', async () => {
    const stored: string[] = [];
    const { port, lines, table, rebuild } = await start([{ name: 'auto-1', address: '127.0.0.1', secret: SECRET, vendor: 'generic', coaPort: 3799, id: 7, requireMessageAuthenticator: 'auto' }], (client) => {
      stored.push(client.key);
      return Promise.resolve(true);
    }, io);
    const before = messageAuthenticatorCounts('auto-1');
    expect(before).not.toBeNull();

    expect((await exchange(port, request({ ma: false })))?.[0]).toBe(Code.AccessAccept);
    expect(table.lookup('127.0.0.1')?.requireMessageAuthenticator).toBe(false);
    // A Message-Authenticator that does not verify flips nothing (and is not counted here).
    expect(await exchange(port, request({ ma: true, secretUsed: Buffer.from('some-other-secret') }), { timeoutMs: 200 })).toBeNull();
    expect(table.lookup('127.0.0.1')?.requireMessageAuthenticator).toBe(false);
    expect(flips(lines)).toHaveLength(0);

    expect((await exchange(port, request({ ma: true })))?.[0]).toBe(Code.AccessAccept);
    expect(table.lookup('127.0.0.1')?.requireMessageAuthenticator).toBe(true);
    expect((await exchange(port, request({ ma: true })))?.[0]).toBe(Code.AccessAccept);
    expect(flips(lines)).toHaveLength(1);
    expect(flips(lines)[0]).toMatchObject({ nas: 'auto-1', address: '127.0.0.1', level: 'info' });

    const missing = await dropped('missing_message_authenticator');
    expect(await exchange(port, request({ ma: false }), { timeoutMs: 200 })).toBeNull();
    expect(await dropped('missing_message_authenticator')).toBe(missing + 1);

    await until(() => stored.length > 0);
    expect(stored).toEqual(['nas 7']);
    // A table rebuilt before the store is read again (a reload) keeps the flip.
    expect(rebuild().lookup('127.0.0.1')?.requireMessageAuthenticator).toBe(true);

    const after = messageAuthenticatorCounts('auto-1')!;
    expect(after.absent - before!.absent).toBe(2); // the answered one and the dropped one
    expect(after.first - before!.first).toBe(2);
    expect(after.present - before!.present).toBe(0);
  });

  it('a stored sighting is required from the start; true and false never flip', async () => {
    const stored: string[] = [];
    const record: RecordSighting = (c) => {
      stored.push(c.key);
      return Promise.resolve(true);
    };
    const { port } = await start(
      [
        { name: 'auto-seen', address: '127.0.0.1', secret: SECRET, vendor: 'generic', coaPort: 3799, requireMessageAuthenticator: 'auto', messageAuthenticatorSeen: true },
      ],
      record,
      io,
    );
    expect(await exchange(port, request({ ma: false }), { timeoutMs: 200 })).toBeNull();
    await server!.stop(100);
    await watch!.stop();
    server = undefined;

    const legacy = await start([{ name: 'legacy-false', address: '127.0.0.1', secret: SECRET, vendor: 'generic', coaPort: 3799, requireMessageAuthenticator: false }], record, io);
    expect((await exchange(legacy.port, request({ ma: true })))?.[0]).toBe(Code.AccessAccept);
    expect((await exchange(legacy.port, request({ ma: false })))?.[0]).toBe(Code.AccessAccept);
    expect(legacy.table.lookup('127.0.0.1')?.requireMessageAuthenticator).toBe(false);
    expect(flips(legacy.lines)).toHaveLength(0);
    expect(stored).toEqual([]);
  });

  it('a store that fails is logged and retried; replies never wait for it', async () => {
    let attempts = 0;
    const { port, lines } = await start([{ name: 'auto-retry', address: '127.0.0.1', secret: SECRET, vendor: 'generic', coaPort: 3799, requireMessageAuthenticator: 'auto' }], () => {
      attempts++;
      return attempts === 1 ? Promise.reject(new Error('database away (test)')) : Promise.resolve(true);
    }, io);
    expect((await exchange(port, request({ ma: true })))?.[0]).toBe(Code.AccessAccept);
    expect(await exchange(port, request({ ma: false }), { timeoutMs: 200 })).toBeNull();
    await until(() => attempts >= 2, 4000);
    expect(lines.some((l) => l.level === 'error' && String(l.msg).startsWith('could not store'))).toBe(true);
    await until(() => watch!.unsaved === 0);
    expect(flips(lines)).toHaveLength(1);
  });
});

describe('tollgate_radius_message_authenticator_total', () => {
  it('counts first, present and absent per NAS, with Proxy-State as its own label', async () => {
    const { port } = await start(
      [{ name: 'counted', address: '127.0.0.1', secret: SECRET, vendor: 'generic', coaPort: 3799, requireMessageAuthenticator: false }],
      () => Promise.resolve(true),
    );
    const before = messageAuthenticatorCounts('counted')!;
    for (const packet of [request({ ma: true }), request({ ma: true, proxyState: true }), requestWithLateMa(), request({ ma: false }), request({ ma: false, proxyState: true })]) {
      expect((await exchange(port, packet))?.[0]).toBe(Code.AccessAccept);
    }
    const after = messageAuthenticatorCounts('counted')!;
    expect(after.first - before.first).toBe(2);
    expect(after.present - before.present).toBe(1);
    expect(after.absent - before.absent).toBe(2);
    expect(after.withProxyState.first - before.withProxyState.first).toBe(1);
    expect(after.withProxyState.absent - before.withProxyState.absent).toBe(1);
    expect(after.withProxyState.present - before.withProxyState.present).toBe(0);

    const text = await registry.metrics();
    expect(text).toMatch(/tollgate_radius_message_authenticator_total\{nas="counted",state="present",proxy_state="no"\} [1-9]/);
    expect(text).toContain('tollgate_radius_message_authenticator_total{nas="counted",state="present",proxy_state="yes"} 0');
  });

  it('has no counts for a NAS no client table of this process held', () => {
    expect(messageAuthenticatorCounts('never-in-a-table')).toBeNull();
  });
});
