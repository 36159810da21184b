/**
 * The stream listener on real loopback sockets: RADIUS/TCP framing (two packets in one segment, one packet across
 * segments, a Length out of range), the in-flight limit, the idle timeout, the drain at stop; RadSec's mutual TLS
 * with certificates made by openssl (another CA, expired, another name, none at all: each refused and counted),
 * the `radsec` secret, and a certificate reload that keeps the connections already open.
 */
import { Writable } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/observability/logger.js';
import { radiusDropped, streamClosed, streamConnections } from '../../../src/observability/metrics.js';
import { Attr, Code } from '../../../src/radius/codes.js';
import { encodeRequest, verifyResponseAuthenticator } from '../../../src/radius/crypto.js';
import type { Handlers, Reply } from '../../../src/radius/handler.js';
import { parsePacket } from '../../../src/radius/packet.js';
import { NasTable, type NasClientSpec } from '../../../src/transport/nas-table.js';
import { RequestPath } from '../../../src/transport/request-path.js';
import { StreamServer, type StreamServerOptions } from '../../../src/transport/stream-server.js';
import { makePki, tcpConnect, tlsConnect, type Pki } from '../../helpers/radsec.js';

const SECRET = 'stream-server-unit-secret';

const silent = createLogger('info', new Writable({ write: (_c, _e, done) => done() }));

function table(spec: Partial<NasClientSpec> = {}): NasTable {
  return new NasTable([{ name: 'nas1', address: '127.0.0.1', secret: SECRET, vendor: 'generic', coaPort: 3799, ...spec }], {
    requireMessageAuthenticator: true,
    limitProxyState: true,
  });
}

/** Handlers that answer at once, or hold Access-Requests until released when `hold` is set. */
function handlers(hold?: { pending: (() => void)[] }): Handlers {
  return {
    access: () =>
      hold
        ? new Promise<Reply>((resolve) => hold.pending.push(() => resolve({ code: Code.AccessAccept, attributes: [] })))
        : Promise.resolve({ code: Code.AccessAccept, attributes: [] }),
    accounting: () => Promise.resolve({ code: Code.AccountingResponse, attributes: [] }),
  };
}

let server: StreamServer | undefined;
afterEach(async () => {
  await server?.stop(200);
  server = undefined;
});

async function start(options: Partial<StreamServerOptions>, nas = table(), h = handlers()): Promise<number> {
  server = new StreamServer(
    nas,
    new RequestPath(h, silent, 60),
    { transport: 'tcp', listen: ['127.0.0.1'], port: 0, idleTimeoutSeconds: 30, maxInFlightPerConnection: 64, maxConnectionsPerClient: 4, ...options },
    silent,
  );
  await server.start();
  return server.port();
}

function access(id: number, secret = SECRET): Buffer {
  return encodeRequest(Code.AccessRequest, id, [{ type: Attr.UserName, value: Buffer.from('alice') }], Buffer.from(secret), { messageAuthenticator: true });
}

async function metric(counter: typeof streamConnections | typeof streamClosed | typeof radiusDropped, labels: Record<string, string>): Promise<number> {
  const values = (await counter.get()).values;
  return values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k as keyof typeof v.labels] === val))?.value ?? 0;
}

describe('RADIUS/TCP framing', () => {
  it('answers two packets written in one segment, each on the connection', async () => {
    const port = await start({});
    const c = await tcpConnect(port);
    const a = access(1);
    const b = encodeRequest(Code.AccountingRequest, 2, [{ type: Attr.AcctStatusType, value: Buffer.from([0, 0, 0, 1]) }], Buffer.from(SECRET), { messageAuthenticator: false });
    c.write(Buffer.concat([a, b]));
    const replies = [parsePacket(await c.next()), parsePacket(await c.next())].sort((x, y) => x.identifier - y.identifier);
    expect(replies.map((r) => [r.identifier, r.code])).toEqual([[1, Code.AccessAccept], [2, Code.AccountingResponse]]);
    expect(verifyResponseAuthenticator(replies[0]!, a.subarray(4, 20), Buffer.from(SECRET))).toBe(true);
    c.close();
  });

  it('reassembles a packet sent across segments, split inside the header too', async () => {
    const port = await start({});
    const c = await tcpConnect(port);
    const a = access(7);
    c.write(a.subarray(0, 3));
    await new Promise((r) => setTimeout(r, 30));
    c.write(a.subarray(3, 25));
    await new Promise((r) => setTimeout(r, 30));
    c.write(a.subarray(25));
    expect(parsePacket(await c.next()).identifier).toBe(7);
    c.close();
  });

  it('answers Status-Server with Access-Accept (one connection carries every kind)', async () => {
    const port = await start({});
    const c = await tcpConnect(port);
    c.write(encodeRequest(Code.StatusServer, 9, [], Buffer.from(SECRET), { messageAuthenticator: true }));
    expect(parsePacket(await c.next()).code).toBe(Code.AccessAccept);
    c.close();
  });

  it.each([
    ['oversized', 4097],
    ['undersized', 19],
  ])('closes the connection on an %s Length and counts it', async (_what, length) => {
    const port = await start({});
    const before = await metric(streamClosed, { transport: 'tcp', reason: 'bad_length' });
    const malformed = await metric(radiusDropped, { reason: 'malformed' });
    const c = await tcpConnect(port);
    const bad = Buffer.alloc(64);
    bad[0] = Code.AccessRequest;
    bad.writeUInt16BE(length, 2);
    c.write(bad);
    expect(await c.closesWithin(2000)).toBe(true);
    expect(await metric(streamClosed, { transport: 'tcp', reason: 'bad_length' })).toBe(before + 1);
    expect(await metric(radiusDropped, { reason: 'malformed' })).toBe(malformed + 1);
  });

  it('drops a packet that fails authenticity like UDP, and keeps the connection', async () => {
    const port = await start({});
    const before = await metric(radiusDropped, { reason: 'bad_message_authenticator' });
    const c = await tcpConnect(port);
    c.write(access(1, 'not-the-secret'));
    c.write(access(2));
    expect(parsePacket(await c.next()).identifier).toBe(2);
    expect(await metric(radiusDropped, { reason: 'bad_message_authenticator' })).toBe(before + 1);
    c.close();
  });

  it('refuses a connection from an unknown address, and more than maxConnectionsPerClient', async () => {
    const port = await start({ maxConnectionsPerClient: 2 });
    const unknown = await metric(streamConnections, { transport: 'tcp', result: 'unknown_client' });
    const tooMany = await metric(streamConnections, { transport: 'tcp', result: 'too_many_connections' });
    const stranger = await tcpConnect(port, '127.0.0.1', '127.0.0.2');
    expect(await stranger.closesWithin(2000)).toBe(true);
    expect(await metric(streamConnections, { transport: 'tcp', result: 'unknown_client' })).toBe(unknown + 1);
    const a = await tcpConnect(port);
    const b = await tcpConnect(port);
    const c = await tcpConnect(port);
    expect(await c.closesWithin(2000)).toBe(true);
    expect(await metric(streamConnections, { transport: 'tcp', result: 'too_many_connections' })).toBe(tooMany + 1);
    a.write(access(3));
    expect(parsePacket(await a.next()).identifier).toBe(3);
    // A slot freed is a slot again.
    b.close();
    await b.closed;
    await new Promise((r) => setTimeout(r, 50));
    const d = await tcpConnect(port);
    d.write(access(4));
    expect(parsePacket(await d.next()).identifier).toBe(4);
    a.close();
    d.close();
  });

  it('reads no more than maxInFlightPerConnection requests until one finishes; none is lost', async () => {
    const hold = { pending: [] as (() => void)[] };
    const port = await start({ maxInFlightPerConnection: 2 }, table(), handlers(hold));
    const c = await tcpConnect(port);
    c.write(Buffer.concat([1, 2, 3, 4, 5].map((id) => access(id))));
    await new Promise((r) => setTimeout(r, 100));
    expect(hold.pending.length).toBe(2);
    const got: number[] = [];
    while (got.length < 5) {
      hold.pending.shift()?.();
      got.push(parsePacket(await c.next()).identifier);
      await new Promise((r) => setTimeout(r, 10));
      expect(hold.pending.length).toBeLessThanOrEqual(2);
    }
    expect(got.sort()).toEqual([1, 2, 3, 4, 5]);
    c.close();
  });

  it('closes an idle connection and counts it', async () => {
    const port = await start({ idleTimeoutSeconds: 1 });
    const before = await metric(streamClosed, { transport: 'tcp', reason: 'idle' });
    const c = await tcpConnect(port);
    expect(await c.closesWithin(2500)).toBe(true);
    expect(await metric(streamClosed, { transport: 'tcp', reason: 'idle' })).toBe(before + 1);
  });

  it('a start that cannot bind every address leaves none bound', async () => {
    const first = new StreamServer(table(), new RequestPath(handlers(), silent, 60), { transport: 'tcp', listen: ['127.0.0.1', '127.0.0.1'], port: 0, idleTimeoutSeconds: 30, maxInFlightPerConnection: 8, maxConnectionsPerClient: 4 }, silent);
    await expect(first.start()).rejects.toThrow(/EADDRINUSE/);
    await expect(tcpConnect(first.port())).rejects.toThrow(/ECONNREFUSED/);
  });

  it('stop sends the replies in flight on their connections, then closes them', async () => {
    const hold = { pending: [] as (() => void)[] };
    const port = await start({}, table(), handlers(hold));
    const c = await tcpConnect(port);
    c.write(access(11));
    await new Promise((r) => setTimeout(r, 50));
    const stopping = server!.stop(2000);
    server = undefined;
    setTimeout(() => hold.pending.shift()?.(), 100);
    expect(parsePacket(await c.next()).identifier).toBe(11);
    await stopping;
    expect(await c.closesWithin(1000)).toBe(true);
  });
});

describe('RadSec', () => {
  let pki: Pki;
  beforeAll(() => {
    pki = makePki();
  });

  const radsec = (p: Pki): Partial<StreamServerOptions> => ({ transport: 'radsec', tls: { certFile: p.serverCert, keyFile: p.serverKey, caFile: p.ca } });

  it('admits a NAS with a certificate of the CA; the secret is `radsec` unless the entry sets one', async () => {
    const port = await start(radsec(pki));
    const c = await tlsConnect(port, pki, pki.good);
    const a = access(1, 'radsec');
    c.write(a);
    const reply = parsePacket(await c.next());
    expect(reply.code).toBe(Code.AccessAccept);
    expect(verifyResponseAuthenticator(reply, a.subarray(4, 20), Buffer.from('radsec'))).toBe(true);
    // The UDP secret is not the RadSec secret: dropped as a bad Message-Authenticator.
    c.write(access(2, SECRET));
    c.write(access(3, 'radsec'));
    expect(parsePacket(await c.next()).identifier).toBe(3);
    c.close();
    await server!.stop(100);

    const port2 = await start(radsec(pki), table({ radsecSecret: 'own-radsec-secret' }));
    const d = await tlsConnect(port2, pki, pki.good);
    d.write(access(4, 'own-radsec-secret'));
    expect(parsePacket(await d.next()).identifier).toBe(4);
    d.close();
  });

  it('admits by tlsName against a DNS SAN, the CN or an IP SAN', async () => {
    for (const tlsName of ['NAS1.example.net', '127.0.0.1']) {
      const port = await start(radsec(pki), table({ tlsName }));
      const c = await tlsConnect(port, pki, pki.good);
      c.write(access(1, 'radsec'));
      expect(parsePacket(await c.next()).code).toBe(Code.AccessAccept);
      c.close();
      await server!.stop(100);
      server = undefined;
    }
  });

  it.each([
    ['signed by another CA', 'otherCa'],
    ['expired', 'expired'],
    ['absent', null],
  ] as const)('refuses a client certificate %s, and counts the handshake', async (_what, which) => {
    const port = await start(radsec(pki));
    const before = await metric(streamConnections, { transport: 'radsec', result: 'tls_handshake' });
    const accepted = await metric(streamConnections, { transport: 'radsec', result: 'accepted' });
    const attempt = tlsConnect(port, pki, which ? pki[which] : null).then(
      async (c) => {
        // TLS 1.3: the client finishes first; the server's refusal closes the connection right after.
        c.write(access(1, 'radsec'));
        await c.next(1000).then(
          () => expect.fail('answered'),
          () => undefined,
        );
        return c.closesWithin(2000);
      },
      () => true,
    );
    expect(await attempt).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(await metric(streamConnections, { transport: 'radsec', result: 'tls_handshake' })).toBe(before + 1);
    expect(await metric(streamConnections, { transport: 'radsec', result: 'accepted' })).toBe(accepted);
  });

  it('refuses a certificate of the CA for another name when the entry has tlsName, and counts it', async () => {
    const port = await start(radsec(pki), table({ tlsName: 'nas1.example.net' }));
    const before = await metric(streamConnections, { transport: 'radsec', result: 'certificate_name' });
    const c = await tlsConnect(port, pki, pki.otherName);
    expect(await c.closesWithin(2000)).toBe(true);
    expect(await metric(streamConnections, { transport: 'radsec', result: 'certificate_name' })).toBe(before + 1);
  });

  it('frees a connection slot when a TLS connection closes (refused or not)', async () => {
    const port = await start({ ...radsec(pki), maxConnectionsPerClient: 1 }, table({ tlsName: 'nas1.example.net' }));
    for (let i = 0; i < 3; i++) {
      const refused = await tlsConnect(port, pki, pki.otherName);
      await refused.closed;
      // A failed handshake too (TLS 1.3: the client may see it complete before the server's alert).
      await tlsConnect(port, pki, pki.expired).then(
        (e) => e.closed,
        () => undefined,
      );
      await new Promise((r) => setTimeout(r, 20));
      const c = await tlsConnect(port, pki, pki.good);
      c.write(access(i, 'radsec'));
      expect(parsePacket(await c.next()).identifier).toBe(i);
      c.close();
      await c.closed;
      await new Promise((r) => setTimeout(r, 20));
    }
  });

  it('refuses an unknown address before any handshake', async () => {
    const port = await start(radsec(pki));
    const before = await metric(streamConnections, { transport: 'radsec', result: 'unknown_client' });
    const handshakes = await metric(streamConnections, { transport: 'radsec', result: 'tls_handshake' });
    await expect(tlsConnect(port, pki, pki.good, { localAddress: '127.0.0.2' })).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 50));
    expect(await metric(streamConnections, { transport: 'radsec', result: 'unknown_client' })).toBe(before + 1);
    expect(await metric(streamConnections, { transport: 'radsec', result: 'tls_handshake' })).toBe(handshakes);
  });

  it('reloads its certificate for new handshakes and keeps the connections already open', async () => {
    const port = await start(radsec(pki));
    const old = await tlsConnect(port, pki, pki.good);
    expect((old.socket as TLSSocket).getPeerCertificate().subject.CN).toBe('tollgate.test');
    server!.reloadCertificates({ certFile: pki.serverCert2, keyFile: pki.serverKey2, caFile: pki.ca });
    const renewed = await tlsConnect(port, pki, pki.good, { servername: 'tollgate-renewed.test' });
    expect((renewed.socket as TLSSocket).getPeerCertificate().subject.CN).toBe('tollgate-renewed.test');
    old.write(access(5, 'radsec'));
    expect(parsePacket(await old.next()).identifier).toBe(5);
    expect(() => server!.reloadCertificates({ certFile: `${pki.dir}/missing.pem`, keyFile: pki.serverKey, caFile: pki.ca })).toThrow(/radius.radsec.certFile/);
    old.close();
    renewed.close();
  });
});
