/**
 * CoA over RadSec (RFC 6614 §2.5) with a real TLS client as the NAS: a NAS that keeps a RadSec connection open gets
 * the CoA-Request and Disconnect-Request on it, signed with the RadSec secret, sent once; its ACK or NAK on the same
 * connection (mixed with its own Access-Requests) settles the request; a forged or unsolicited reply there is
 * dropped and counted; once the connection is gone (before the answer, or before the request) UDP CoA is used.
 */
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CoaClient, type CoaNas } from '../../../src/coa/client.js';
import type { CoaAuditRow } from '../../../src/domain/ports.js';
import { createLogger } from '../../../src/observability/logger.js';
import { coaRadsecFallbacks, coaRepliesDropped, coaRequests } from '../../../src/observability/metrics.js';
import { Attr, Code } from '../../../src/radius/codes.js';
import { encodeReply, encodeRequest, verifyMessageAuthenticator, verifyRequestAuthenticator, verifyResponseAuthenticator } from '../../../src/radius/crypto.js';
import { findAttribute, parsePacket, type RawPacket } from '../../../src/radius/packet.js';
import { NasTable } from '../../../src/transport/nas-table.js';
import { RequestPath } from '../../../src/transport/request-path.js';
import { StreamServer } from '../../../src/transport/stream-server.js';
import { errorCause, FakeBras } from '../../helpers/fake-bras.js';
import { makePki, tlsConnect, type Pki, type StreamClient } from '../../helpers/radsec.js';

const UDP_SECRET = 'coa-radsec-udp-secret';
const RADSEC = Buffer.from('radsec');
const ZERO16 = Buffer.alloc(16);
const silent = createLogger('info', new Writable({ write: (_c, _e, done) => done() }));

let pki: Pki;
let server: StreamServer;
let bras: FakeBras;
let client: CoaClient;
let nas: CoaNas;
const audits: CoaAuditRow[] = [];
const open: StreamClient[] = [];

beforeAll(async () => {
  pki = makePki();
  const table = new NasTable([{ name: 'nas1', address: '127.0.0.1', secret: UDP_SECRET, vendor: 'generic', coaPort: 3799, requireMessageAuthenticator: false }], {
    requireMessageAuthenticator: false,
    limitProxyState: false,
  });
  const path = new RequestPath({ access: () => ({ code: Code.AccessAccept, attributes: [] }), accounting: () => null }, silent, 60);
  server = new StreamServer(
    table,
    path,
    { transport: 'radsec', listen: ['127.0.0.1'], port: 0, idleTimeoutSeconds: 30, maxInFlightPerConnection: 16, maxConnectionsPerClient: 4, tls: { certFile: pki.serverCert, keyFile: pki.serverKey, caFile: pki.ca } },
    silent,
  );
  await server.start();
  bras = new FakeBras({ secret: UDP_SECRET });
  nas = { name: 'nas1', address: '127.0.0.1', secret: Buffer.from(UDP_SECRET), coaPort: await bras.start() };
  client = new CoaClient({ log: silent, retry: { initialMs: 1000, maxMs: 1000, maxTries: 2, maxDurationMs: 1500 }, bindAddress: '127.0.0.1', audit: { audit: (row) => Promise.resolve(void audits.push(row)) } });
  client.setStreamLinks(server);
  await client.start();
});

afterAll(async () => {
  await client?.stop();
  await server?.stop(100);
  bras?.close();
});

beforeEach(() => {
  bras.received.length = 0;
  bras.behaviour = (p) => ({ code: p.code === Code.CoARequest ? Code.CoAACK : Code.DisconnectACK });
  audits.length = 0;
});

afterEach(async () => {
  for (const c of open.splice(0)) {
    c.close();
    await c.closed;
  }
  // The server sees the close a moment after the client.
  await until(() => server.linkTo('127.0.0.1') === undefined);
});

async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function eventually(cond: () => Promise<boolean>, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A NAS connected over RadSec, once the server has admitted it (its link exists). */
async function connectNas(): Promise<StreamClient> {
  const c = await tlsConnect(server.port(), pki, pki.good);
  open.push(c);
  await until(() => server.linkTo('127.0.0.1') !== undefined);
  return c;
}

function identity(user: string) {
  return [
    { type: Attr.UserName, value: Buffer.from(user) },
    { type: Attr.AcctSessionId, value: Buffer.from(`sess-${user}`) },
  ];
}

/** The NAS's answer to `request`, signed with `secret` (Message-Authenticator first). */
function answer(request: RawPacket, code: number, secret = RADSEC, attributes = [] as { type: number; value: Buffer }[]): Buffer {
  return encodeReply(code, request.identifier, request.authenticator, attributes, secret, { messageAuthenticator: true });
}

type Readable = { get(): Promise<{ values: { labels: Partial<Record<string, string | number>>; value: number }[] }> };
async function metric(counter: Readable, labels: Record<string, string>): Promise<number> {
  const values = (await counter.get()).values;
  return values.filter((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val)).reduce((s, v) => s + v.value, 0);
}

describe('CoA over RadSec', () => {
  it('sends the CoA-Request on the open connection with the RadSec secret, and the NAS\'s CoA-ACK there resolves it', async () => {
    const nasSide = await connectNas();
    const acks = await metric(coaRequests, { kind: 'coa', result: 'ack', transport: 'radsec' });
    const sent = client.send({ nas, kind: 'coa', action: 'restrict', attributes: identity('tls-ack') });
    const request = parsePacket(await nasSide.next());
    expect(request.code).toBe(Code.CoARequest);
    expect(verifyRequestAuthenticator(request, RADSEC)).toBe(true);
    expect(verifyMessageAuthenticator(request, RADSEC, ZERO16)).toBe(true);
    expect(findAttribute(request, Attr.UserName)?.value.toString()).toBe('tls-ack');
    // The NAS's own Access-Request on the same connection is answered meanwhile: the two directions do not mix.
    const own = encodeRequest(Code.AccessRequest, request.identifier, [{ type: Attr.UserName, value: Buffer.from('x') }], RADSEC, { messageAuthenticator: true });
    nasSide.write(own);
    const accept = parsePacket(await nasSide.next());
    expect(accept.code).toBe(Code.AccessAccept);
    expect(verifyResponseAuthenticator(accept, own.subarray(4, 20), RADSEC)).toBe(true);
    nasSide.write(answer(request, Code.CoAACK));
    const out = await sent;
    expect(out).toMatchObject({ result: 'ack', attempts: 1, transport: 'radsec' });
    expect(bras.received).toHaveLength(0);
    expect(await metric(coaRequests, { kind: 'coa', result: 'ack', transport: 'radsec' })).toBe(acks + 1);
    expect(audits).toEqual([expect.objectContaining({ nas: 'nas1', request: 'coa', result: 'ack', attempts: 1, transport: 'radsec' })]);
  });

  it('returns the Error-Cause of a Disconnect-NAK sent back on the connection', async () => {
    const nasSide = await connectNas();
    const sent = client.send({ nas, kind: 'disconnect', action: 'disconnect', attributes: identity('tls-nak') });
    const request = parsePacket(await nasSide.next());
    expect(request.code).toBe(Code.DisconnectRequest);
    nasSide.write(answer(request, Code.DisconnectNAK, RADSEC, [errorCause(503)]));
    expect(await sent).toMatchObject({ result: 'nak', errorCause: 503, transport: 'radsec' });
  });

  it('drops and counts a forged answer and an unsolicited one on the connection, then takes the real one', async () => {
    const nasSide = await connectNas();
    const forged = await metric(coaRepliesDropped, { reason: 'bad_authenticator', transport: 'radsec' });
    const unsolicited = await metric(coaRepliesDropped, { reason: 'unsolicited', transport: 'radsec' });
    const sent = client.send({ nas, kind: 'coa', action: 'restrict', attributes: identity('tls-forged') });
    const request = parsePacket(await nasSide.next());
    // Signed with the UDP secret, not the connection's: not an answer of this NAS over TLS.
    nasSide.write(answer(request, Code.CoAACK, Buffer.from(UDP_SECRET)));
    nasSide.write(encodeReply(Code.CoAACK, (request.identifier + 1) & 0xff, request.authenticator, [], RADSEC, { messageAuthenticator: true }));
    await eventually(async () => (await metric(coaRepliesDropped, { reason: 'unsolicited', transport: 'radsec' })) === unsolicited + 1);
    expect(await metric(coaRepliesDropped, { reason: 'bad_authenticator', transport: 'radsec' })).toBe(forged + 1);
    nasSide.write(answer(request, Code.CoANAK));
    expect(await sent).toMatchObject({ result: 'nak', transport: 'radsec' });
  });

  it('sends once on the connection and times out when the NAS keeps it open without answering', async () => {
    const nasSide = await connectNas();
    const out = await client.send({ nas, kind: 'coa', action: 'restrict', attributes: identity('tls-silent') });
    expect(out).toEqual({ result: 'timeout', attempts: 1, transport: 'radsec' });
    parsePacket(await nasSide.next());
    await expect(nasSide.next(100)).rejects.toThrow('no reply');
    expect(bras.received).toHaveLength(0);
  });

  it('falls back to UDP when the connection closes before the answer', async () => {
    const nasSide = await connectNas();
    const fallbacks = (await coaRadsecFallbacks.get()).values[0]?.value ?? 0;
    const sent = client.send({ nas, kind: 'coa', action: 'restrict', attributes: identity('tls-closed') });
    await nasSide.next();
    nasSide.close();
    const out = await sent;
    expect(out).toMatchObject({ result: 'ack', transport: 'udp' });
    expect(bras.requests).toHaveLength(1);
    expect((await coaRadsecFallbacks.get()).values[0]?.value).toBe(fallbacks + 1);
    expect(audits).toEqual([expect.objectContaining({ result: 'ack', transport: 'udp' })]);
  });

  it('uses UDP for the next request once the NAS has closed its connection', async () => {
    const nasSide = await connectNas();
    nasSide.close();
    await nasSide.closed;
    await until(() => server.linkTo('127.0.0.1') === undefined);
    const out = await client.send({ nas, kind: 'disconnect', action: 'disconnect', attributes: identity('tls-gone') });
    expect(out).toMatchObject({ result: 'ack', transport: 'udp' });
    expect(bras.requests.map((p) => p.code)).toEqual([Code.DisconnectRequest]);
  });
});
