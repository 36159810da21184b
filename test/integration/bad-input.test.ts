/**
 * What a hostile or broken peer can send: every bad datagram is dropped, counted by reason, and the daemon
 * keeps answering good requests. Raw bytes over real UDP, on both UDP I/O paths (radius.io dgram, and batch when
 * the addon is built, as `npm install` does here).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Attr, Code } from '../../src/radius/codes.js';
import { encodeRequest, hidePassword, randomAuthenticator, verifyMessageAuthenticator, verifyResponseAuthenticator } from '../../src/radius/crypto.js';
import { parsePacket, type RawAttribute } from '../../src/radius/packet.js';
import { loadUdpBatch } from '../../src/transport/batch-socket.js';
import { metricValue, SECRET, startTestDaemon, testConfigInput, type TestDaemon } from '../helpers/daemon.js';
import { burst, exchange } from '../helpers/udp-client.js';

const secret = Buffer.from(SECRET);

function accessRequest(options: { ma?: boolean; secretUsed?: Buffer; extra?: RawAttribute[]; id?: number; password?: string } = {}): Buffer {
  const authenticator = randomAuthenticator();
  const s = options.secretUsed ?? secret;
  const attrs: RawAttribute[] = [
    { type: Attr.UserName, value: Buffer.from('alice') },
    { type: Attr.UserPassword, value: hidePassword(Buffer.from(options.password ?? 'alice-password'), s, authenticator) },
    ...(options.extra ?? []),
  ];
  return encodeRequest(Code.AccessRequest, options.id ?? 1, attrs, s, { messageAuthenticator: options.ma ?? true, authenticator });
}

function accountingRequest(secretUsed = secret, id = 9): Buffer {
  const attrs: RawAttribute[] = [
    { type: Attr.UserName, value: Buffer.from('alice') },
    { type: Attr.AcctStatusType, value: Buffer.from([0, 0, 0, 1]) },
    { type: Attr.AcctSessionId, value: Buffer.from('bad-input-1') },
  ];
  return encodeRequest(Code.AccountingRequest, id, attrs, secretUsed, { messageAuthenticator: false });
}

const paths = loadUdpBatch().ok ? ['dgram', 'batch'] : ['dgram'];

describe.each(paths)('bad input is dropped and counted; the daemon keeps answering (radius.io %s)', (io) => {
  let d: TestDaemon;
  let auth: number;
  let acct: number;
  beforeAll(async () => {
    const input = testConfigInput();
    d = await startTestDaemon({ ...input, radius: { ...(input.radius as object), io } });
    ({ auth, acct } = d.app.ports);
    expect(metricValue(await d.metrics(), 'tollgate_radius_udp_io_info', { io })).toBe(1);
  });
  afterAll(() => d.stop());

  async function dropped(reason: string): Promise<number> {
    return metricValue(await d.metrics(), 'tollgate_radius_dropped_total', { reason });
  }

  async function stillAnswers(): Promise<void> {
    const reply = await exchange(auth, accessRequest());
    expect(reply?.[0]).toBe(Code.AccessAccept);
  }

  it('a good request gets a signed Access-Accept with Message-Authenticator first', async () => {
    const request = accessRequest();
    const reply = await exchange(auth, request);
    if (!reply) throw new Error('no reply');
    const parsed = parsePacket(reply);
    expect(parsed.attributes[0]?.type).toBe(Attr.MessageAuthenticator);
    const requestAuth = request.subarray(4, 20);
    expect(verifyMessageAuthenticator(parsed, secret, requestAuth)).toBe(true);
    expect(verifyResponseAuthenticator(parsed, requestAuth, secret)).toBe(true);
  });

  it('unknown client: no reply, counted', async () => {
    const before = await dropped('unknown_client');
    expect(await exchange(auth, accessRequest(), { from: '127.0.0.2', timeoutMs: 300 })).toBeNull();
    expect(await dropped('unknown_client')).toBe(before + 1);
    expect(d.logs.some((l) => l.address === '127.0.0.2' && String(l.msg).includes('unknown client'))).toBe(true);
    await stillAnswers();
  });

  it('wrong secret: Message-Authenticator and accounting authenticator fail', async () => {
    const wrong = Buffer.from('not-the-secret');
    const before = await dropped('bad_message_authenticator');
    expect(await exchange(auth, accessRequest({ secretUsed: wrong }), { timeoutMs: 300 })).toBeNull();
    expect(await dropped('bad_message_authenticator')).toBe(before + 1);
    const beforeAcct = await dropped('bad_authenticator');
    expect(await exchange(acct, accountingRequest(wrong), { timeoutMs: 300 })).toBeNull();
    expect(await dropped('bad_authenticator')).toBe(beforeAcct + 1);
    expect((await exchange(acct, accountingRequest()))?.[0]).toBe(Code.AccountingResponse);
  });

  it('missing Message-Authenticator where required; accepted from a client that does not require it', async () => {
    const before = await dropped('missing_message_authenticator');
    expect(await exchange(auth, accessRequest({ ma: false }), { timeoutMs: 300 })).toBeNull();
    expect(await dropped('missing_message_authenticator')).toBe(before + 1);
    const legacy = await exchange(auth, accessRequest({ ma: false }), { from: '127.0.0.3' });
    expect(legacy?.[0]).toBe(Code.AccessAccept);
    // Even to a client that sent none, the reply carries Message-Authenticator first (BlastRADIUS).
    expect(legacy?.[20]).toBe(Attr.MessageAuthenticator);
  });

  it('a tampered Message-Authenticator is dropped', async () => {
    const packet = accessRequest();
    packet[packet.length - 1] = (packet[packet.length - 1] as number) ^ 0xff; // last octet of the password, covered by the HMAC
    const before = await dropped('bad_message_authenticator');
    expect(await exchange(auth, packet, { timeoutMs: 300 })).toBeNull();
    expect(await dropped('bad_message_authenticator')).toBe(before + 1);
  });

  it('Proxy-State without Message-Authenticator is dropped where limited, answered and echoed where not', async () => {
    const proxyState = { type: Attr.ProxyState, value: Buffer.from('proxy-1') };
    const before = await dropped('proxy_state_without_message_authenticator');
    expect(await exchange(auth, accessRequest({ ma: false, extra: [proxyState] }), { from: '127.0.0.3', timeoutMs: 300 })).toBeNull();
    expect(await dropped('proxy_state_without_message_authenticator')).toBe(before + 1);
    const reply = await exchange(auth, accessRequest({ ma: false, extra: [proxyState] }), { from: '127.0.0.4' });
    if (!reply) throw new Error('no reply');
    const attrs = parsePacket(reply).attributes;
    expect(attrs.at(-1)).toEqual({ type: Attr.ProxyState, value: Buffer.from('proxy-1') });
  });

  it('EAP-Message together with User-Password is dropped', async () => {
    const before = await dropped('eap_with_password');
    const eap = { type: Attr.EAPMessage, value: Buffer.from([2, 1, 0, 5, 1]) };
    expect(await exchange(auth, accessRequest({ extra: [eap] }), { timeoutMs: 300 })).toBeNull();
    expect(await dropped('eap_with_password')).toBe(before + 1);
  });

  it('truncated, oversized and overrunning packets are dropped as malformed', async () => {
    const good = accessRequest();
    const before = await dropped('malformed');
    const bad = [
      good.subarray(0, 19), // shorter than the header
      good.subarray(0, good.length - 3), // shorter than its Length
      Buffer.concat([good.subarray(0, 2), Buffer.from([0x10, 0x01]), good.subarray(4)]), // Length 4097
      Buffer.concat([good.subarray(0, 2), Buffer.from([0x00, 0x13]), good.subarray(4)]), // Length 19
      (() => {
        const b = Buffer.from(good);
        b[21] = 0xff; // first attribute runs past the end
        return b;
      })(),
      (() => {
        const b = Buffer.from(good);
        b[21] = 1; // attribute length below 2
        return b;
      })(),
      Buffer.concat([good, Buffer.alloc(4097 - good.length)]), // a datagram longer than any RADIUS packet
    ];
    for (const datagram of bad) expect(await exchange(auth, datagram, { timeoutMs: 150 })).toBeNull();
    expect(await dropped('malformed')).toBe(before + bad.length);
    await stillAnswers();
  });

  it('codes that do not belong on a port are dropped', async () => {
    const before = await dropped('unexpected_code');
    expect(await exchange(acct, accessRequest(), { timeoutMs: 200 })).toBeNull();
    expect(await exchange(auth, accountingRequest(), { timeoutMs: 200 })).toBeNull();
    const coa = encodeRequest(Code.CoARequest, 3, [], secret, { messageAuthenticator: false });
    expect(await exchange(auth, coa, { timeoutMs: 200 })).toBeNull();
    expect(await dropped('unexpected_code')).toBe(before + 3);
  });

  it('a retransmission gets the cached reply (RFC 5080); a new authenticator is a new request', async () => {
    const request = accessRequest({ id: 77 });
    const hitsBefore = metricValue(await d.metrics(), 'tollgate_radius_reply_cache_hits_total');
    const replies = await burst(auth, [request, request, request], 300);
    // The first may still be in progress when the copies arrive (dropped), or answered (replayed): at least one reply,
    // and every reply identical.
    expect(replies.length).toBeGreaterThanOrEqual(1);
    for (const r of replies) expect(r.equals(replies[0] as Buffer)).toBe(true);
    const again = await burst(auth, [request], 200);
    expect(again[0]?.equals(replies[0] as Buffer)).toBe(true);
    expect(metricValue(await d.metrics(), 'tollgate_radius_reply_cache_hits_total')).toBeGreaterThan(hitsBefore);
  });

  it('random and mutated datagrams never stop the receive loop', async () => {
    const template = accessRequest();
    const datagrams = fc.sample(
      fc.oneof(
        fc.uint8Array({ minLength: 0, maxLength: 200 }).map((a) => Buffer.from(a)),
        fc.array(fc.tuple(fc.nat(template.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }).map((muts) => {
          const b = Buffer.from(template);
          for (const [i, v] of muts) b[i] = v;
          return b;
        }),
      ),
      { numRuns: 400, seed: 42 },
    );
    await burst(auth, datagrams, 300);
    await burst(acct, datagrams, 300);
    await stillAnswers();
    const text = await d.metrics();
    const drops = ['malformed', 'bad_message_authenticator', 'missing_message_authenticator', 'unexpected_code', 'bad_authenticator'].reduce(
      (n, reason) => n + metricValue(text, 'tollgate_radius_dropped_total', { reason }),
      0,
    );
    expect(drops).toBeGreaterThan(400);
    expect(metricValue(text, 'tollgate_radius_dropped_total', { reason: 'handler_error' })).toBe(0);
  });
});
