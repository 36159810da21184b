/**
 * The RFC 5176 client against a BRAS played by this test: a real UDP socket on 127.0.0.1 port 0 that checks our
 * Request Authenticator and Message-Authenticator with the shared secret and answers ACK, NAK (Error-Cause 503),
 * nothing, or a forged reply first. Audit rows are read back from `coa_audit` (PGlite, or PostgreSQL when
 * TEST_DATABASE_URL is set). Retry timers are shortened to keep the file fast.
 */
import dgram from 'node:dgram';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VendorProfiles } from '../../src/aaa/vendor-profiles.js';
import { rateChange, restore, restrict, type CoaTarget } from '../../src/coa/actions.js';
import type { RetryPolicy } from '../../src/coa/backoff.js';
import { CoaClient, CoaStoppedError, type CoaNas } from '../../src/coa/client.js';
import { createLogger } from '../../src/observability/logger.js';
import { coaRepliesDropped, coaRequests } from '../../src/observability/metrics.js';
import { shippedDictionary } from '../../src/app/paths.js';
import { Attr, Code, decodeAttributes, encodeReply, findAttribute, type RawAttribute } from '../../src/radius/index.js';
import type { Sql } from '../../src/store/sql.js';
import { createStore } from '../../src/store/store.js';
import { errorCause, FakeBras } from '../helpers/fake-bras.js';
import { createTestSql, type TestSql } from '../helpers/sql.js';
import { snapshot } from '../helpers/snapshot.js';
import { loadDictionaryFiles } from '../../src/config/dictionary-files.js';

const SECRET = Buffer.from('coa-shared-secret');
const RETRY: RetryPolicy = { initialMs: 40, maxMs: 160, maxTries: 3, maxDurationMs: 2000 };
const log = createLogger('silent');

function identity(user: string): RawAttribute[] {
  return [
    { type: Attr.UserName, value: Buffer.from(user) },
    { type: Attr.AcctSessionId, value: Buffer.from(`sess-${user}`) },
  ];
}

async function droppedCount(reason: string): Promise<number> {
  const m = await coaRepliesDropped.get();
  return m.values.find((v) => v.labels.reason === reason && v.labels.transport === 'udp')?.value ?? 0;
}

async function requestCount(kind: string, result: string): Promise<number> {
  const m = await coaRequests.get();
  return m.values.filter((v) => v.labels.kind === kind && v.labels.result === result).reduce((sum, v) => sum + v.value, 0);
}

interface AuditRow {
  nas: string;
  session_id: string | number | null;
  acct_session_id: string | null;
  username: string | null;
  request: string;
  action: string;
  attempts: number;
  result: string;
  error_cause: number | null;
  rtt_ms: number | null;
}

let db: TestSql;
let bras: FakeBras;
let nas: CoaNas;
let client: CoaClient;

async function auditOf(user: string): Promise<AuditRow[]> {
  return db.sql.query<AuditRow>(
    'SELECT nas, session_id, acct_session_id, username, request, action, attempts, result, error_cause, rtt_ms FROM coa_audit WHERE username = $1 ORDER BY id',
    [user],
  );
}

beforeAll(async () => {
  db = await createTestSql({ migrate: true });
  bras = new FakeBras({ secret: SECRET });
  nas = { name: 'bras-1', address: '127.0.0.1', secret: SECRET, coaPort: await bras.start() };
  client = new CoaClient({ audit: createStore(db.sql).coa, log, retry: RETRY, bindAddress: '127.0.0.1' });
  await client.start();
});

afterAll(async () => {
  await client?.stop();
  bras?.close();
  await db?.cleanup();
});

beforeEach(() => {
  bras.received.length = 0;
  bras.behaviour = () => null;
});

describe('CoaClient against a UDP BRAS', () => {
  it('signs the request (Request Authenticator and Message-Authenticator) and returns ack on CoA-ACK', async () => {
    bras.behaviour = () => ({ code: Code.CoAACK });
    const out = await client.send({ nas, kind: 'coa', action: 'restrict', attributes: identity('ack-user'), sessionId: 17 });
    expect(out.result).toBe('ack');
    expect(out.attempts).toBe(1);
    expect(out.rttMs).toBeGreaterThanOrEqual(0);
    expect(bras.received).toHaveLength(1);
    const r = bras.received[0]!;
    expect(r.packet.code).toBe(Code.CoARequest);
    expect(r.requestAuthenticatorOk).toBe(true);
    expect(r.messageAuthenticatorOk).toBe(true);
    expect(r.packet.attributes[0]!.type).toBe(Attr.MessageAuthenticator);
    expect(findAttribute(r.packet, Attr.UserName)?.value.toString()).toBe('ack-user');
    const rows = await auditOf('ack-user');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      nas: 'bras-1',
      acct_session_id: 'sess-ack-user',
      request: 'coa',
      action: 'restrict',
      attempts: 1,
      result: 'ack',
      error_cause: null,
    });
    expect(Number(rows[0]!.session_id)).toBe(17);
    expect(rows[0]!.rtt_ms).toBeGreaterThanOrEqual(0);
  });

  it('returns nak with the Error-Cause of a CoA-NAK', async () => {
    bras.behaviour = () => ({ code: Code.CoANAK, attributes: [errorCause(503)] });
    const out = await client.send({ nas, kind: 'coa', action: 'restrict', attributes: identity('nak-user') });
    expect(out).toMatchObject({ result: 'nak', errorCause: 503, attempts: 1 });
    expect(await auditOf('nak-user')).toMatchObject([{ request: 'coa', result: 'nak', error_cause: 503 }]);
  });

  it('retransmits the same bytes under the same Identifier until the reply: silent twice, then ACK → 3 attempts', async () => {
    bras.behaviour = (_p, n) => (n < 2 ? null : { code: Code.DisconnectACK });
    const out = await client.send({ nas, kind: 'disconnect', action: 'disconnect', attributes: identity('retry-user') });
    expect(out).toMatchObject({ result: 'ack', attempts: 3 });
    expect(bras.received).toHaveLength(3);
    const first = bras.received[0]!.packet;
    expect(first.code).toBe(Code.DisconnectRequest);
    for (const r of bras.received) {
      expect(r.packet.identifier).toBe(first.identifier);
      expect(r.packet.raw.equals(first.raw)).toBe(true);
      expect(r.requestAuthenticatorOk && r.messageAuthenticatorOk).toBe(true);
    }
    expect(await auditOf('retry-user')).toMatchObject([{ request: 'disconnect', action: 'disconnect', attempts: 3, result: 'ack' }]);
  });

  it('times out after maxTries when the BRAS never answers', async () => {
    const out = await client.send({ nas, kind: 'coa', action: 'restore', attributes: identity('silent-user') });
    expect(out).toEqual({ result: 'timeout', attempts: 3, transport: 'udp' });
    expect(bras.received).toHaveLength(3);
    expect(await auditOf('silent-user')).toMatchObject([{ result: 'timeout', attempts: 3, rtt_ms: null, error_cause: null }]);
  });

  it('drops a forged reply (wrong Response Authenticator) and accepts the real one after it', async () => {
    const before = await droppedCount('bad_authenticator');
    bras.behaviour = () => ({ code: Code.CoAACK, forge: 'first' });
    const out = await client.send({ nas, kind: 'coa', action: 'restrict', attributes: identity('forged-user') });
    expect(out).toMatchObject({ result: 'ack', attempts: 1 });
    expect(await droppedCount('bad_authenticator')).toBe(before + 1);
  });

  it('drops a forged reply even when no real one follows: the request times out rather than trusting it', async () => {
    const before = await droppedCount('bad_authenticator');
    bras.behaviour = () => ({ code: Code.CoAACK, forge: 'only' });
    const out = await client.send({ nas, kind: 'coa', action: 'restrict', attributes: identity('forged-only') });
    expect(out).toEqual({ result: 'timeout', attempts: 3, transport: 'udp' });
    expect(await droppedCount('bad_authenticator')).toBe(before + 3);
  });

  it('ignores a reply from another port (unsolicited)', async () => {
    const before = await droppedCount('unsolicited');
    const other = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => other.bind(0, '127.0.0.1', resolve));
    const port = (await client.localPort())!;
    bras.behaviour = (p) => {
      const copy = encodeReply(Code.CoAACK, p.identifier, p.authenticator, [], SECRET, { messageAuthenticator: true });
      other.send(copy, port, '127.0.0.1');
      return bras.received.length === 1 ? null : { code: Code.CoAACK };
    };
    const out = await client.send({ nas, kind: 'coa', action: 'restrict', attributes: identity('other-port') });
    expect(out).toMatchObject({ result: 'ack', attempts: 2 });
    expect(await droppedCount('unsolicited')).toBeGreaterThanOrEqual(before + 2);
    await new Promise<void>((resolve) => other.close(() => resolve()));
  });

  it('logs a failed audit insert and still returns the outcome', async () => {
    const failing: Sql = {
      kind: 'pglite',
      query: () => Promise.reject(new Error('database down')),
      copyIn: () => Promise.reject(new Error('database down')),
      transaction: () => Promise.reject(new Error('database down')),
      close: () => Promise.resolve(),
    };
    const c = new CoaClient({ audit: createStore(failing).coa, log, retry: RETRY });
    await c.start();
    bras.behaviour = () => ({ code: Code.CoAACK });
    await expect(c.send({ nas, kind: 'coa', action: 'restrict', attributes: identity('no-audit') })).resolves.toMatchObject({ result: 'ack' });
    await c.stop();
  });

  it('reaches an IPv6 NAS over a second (udp6) socket, matching replies to the NAS address written uncompressed', async (ctx) => {
    const bras6 = new FakeBras({ secret: SECRET, address: '::1' });
    const port = await bras6.start().catch(() => null);
    if (port === null) return ctx.skip('no IPv6 loopback here');
    try {
      bras6.behaviour = () => ({ code: Code.DisconnectACK });
      const nas6: CoaNas = { name: 'bras-v6', address: '0:0:0:0:0:0:0:1', secret: SECRET, coaPort: port };
      const out = await client.send({ nas: nas6, kind: 'disconnect', action: 'disconnect', attributes: identity('v6-user') });
      expect(out).toMatchObject({ result: 'ack', attempts: 1 });
      expect(bras6.received[0]!.requestAuthenticatorOk).toBe(true);
    } finally {
      bras6.close();
    }
  });

  it('runs many requests to one NAS at once with distinct Identifiers', async () => {
    bras.behaviour = () => ({ code: Code.CoAACK });
    const outs = await Promise.all(
      Array.from({ length: 40 }, (_, i) => client.send({ nas, kind: 'coa', action: 'restrict', attributes: identity(`many-${i}`) })),
    );
    expect(outs.every((o) => o.result === 'ack')).toBe(true);
    expect(new Set(bras.received.map((r) => r.packet.identifier)).size).toBe(40);
  });
});

describe('more than 256 requests to one NAS', () => {
  it('queues beyond 256 outstanding and still completes every request with its own reply', async () => {
    bras.behaviour = () => ({ code: Code.CoAACK });
    // Default (2 s) retransmission timer: 300 replies on a loaded machine must not race the short test timers,
    // or retransmissions would be counted as extra requests.
    const c = new CoaClient({ log });
    await c.start();
    try {
      const outs = await Promise.all(
        Array.from({ length: 300 }, (_, i) => c.send({ nas, kind: 'coa', action: 'restrict', attributes: identity(`burst-${i}`) })),
      );
      expect(outs.filter((o) => o.result === 'ack')).toHaveLength(300);
      expect(bras.received).toHaveLength(300);
      // The first 256 went out before any reply released an Identifier: all distinct.
      expect(new Set(bras.received.slice(0, 256).map((r) => r.packet.identifier)).size).toBe(256);
    } finally {
      await c.stop();
    }
  });
});

describe('stop', () => {
  it('gives up retransmitting and queued requests at once: audited as aborted, counted, rejected with CoaStoppedError', async () => {
    // A silent BRAS and the default schedule (retransmissions up to 30 s): stop must not wait for any of it.
    const c = new CoaClient({ audit: createStore(db.sql).coa, log, bindAddress: '127.0.0.1' });
    await c.start();
    const abortedBefore = await requestCount('disconnect', 'aborted');
    // 257 to one NAS: 256 go out under distinct Identifiers, the last waits for one to be released.
    const sends = Array.from({ length: 257 }, (_, i) =>
      c.send({ nas, kind: 'disconnect', action: 'disconnect', attributes: identity(`stop-${i}`) }).then(
        () => 'resolved' as const,
        (err: unknown) => err,
      ),
    );
    await expect.poll(() => bras.received.length, { timeout: 5000 }).toBeGreaterThanOrEqual(256);
    const started = Date.now();
    await c.stop();
    expect(Date.now() - started).toBeLessThan(1500);
    const outcomes = await Promise.all(sends);
    expect(outcomes.every((o) => o instanceof CoaStoppedError)).toBe(true);
    const attempts = (outcomes as CoaStoppedError[]).map((e) => e.attempts);
    expect(attempts.filter((a) => a >= 1)).toHaveLength(256);
    expect(attempts.filter((a) => a === 0)).toHaveLength(1);
    expect((await requestCount('disconnect', 'aborted')) - abortedBefore).toBe(257);
    const rows = await db.sql.query<{ username: string; result: string; attempts: number; rtt_ms: number | null }>(
      "SELECT username, result, attempts, rtt_ms FROM coa_audit WHERE username LIKE 'stop-%' ORDER BY id",
    );
    expect(rows).toHaveLength(257);
    expect(rows.every((r) => r.result === 'aborted' && r.rtt_ms === null)).toBe(true);
    expect(rows.filter((r) => r.attempts === 0)).toHaveLength(1);
    // Nothing went out after the stop, and the stopped client refuses new requests.
    const atStop = bras.received.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(bras.received).toHaveLength(atStop);
    await expect(c.send({ nas, kind: 'coa', action: 'restrict', attributes: identity('after-stop') })).rejects.toBeInstanceOf(CoaStoppedError);
  });
});

describe('restrict and restore helpers', () => {
  const dict = loadDictionaryFiles([shippedDictionary()]);
  const profiles = VendorProfiles.compile(dict);
  const target = (vendor: CoaTarget['vendor']): CoaTarget => ({ ...nas, vendor });

  it('restrict on Juniper: the CoA is NAKed (503), so a Disconnect-Request with the identity follows and is ACKed', async () => {
    bras.behaviour = (p) => (p.code === Code.CoARequest ? { code: Code.CoANAK, attributes: [errorCause(503)] } : { code: Code.DisconnectACK });
    const session = { id: 5, username: 'jun-user', acctSessionId: 'jun-1', framedIp: '10.0.0.9' };
    const out = await restrict(client, profiles, target('juniper'), session, snapshot({ username: 'jun-user' }));
    expect(out.ok).toBe(true);
    expect(out.coa).toMatchObject({ result: 'nak', errorCause: 503 });
    expect(out.disconnect).toMatchObject({ result: 'ack' });
    expect(bras.received.map((r) => r.packet.code)).toEqual([Code.CoARequest, Code.DisconnectRequest]);
    const [coa, disc] = bras.received.map((r) => r.packet);
    expect(coa!.attributes.some((a) => a.type === Attr.VendorSpecific)).toBe(true);
    expect(disc!.attributes.map((a) => a.type)).toEqual([Attr.MessageAuthenticator, Attr.UserName, Attr.AcctSessionId, Attr.FramedIPAddress]);
    expect([...findAttribute(disc!, Attr.FramedIPAddress)!.value]).toEqual([10, 0, 0, 9]);
    expect(bras.received.every((r) => r.requestAuthenticatorOk && r.messageAuthenticatorOk)).toBe(true);
    expect(await auditOf('jun-user')).toMatchObject([
      { request: 'coa', action: 'restrict', result: 'nak', error_cause: 503, acct_session_id: 'jun-1' },
      { request: 'disconnect', action: 'restrict', result: 'ack', acct_session_id: 'jun-1' },
    ]);
  });

  it('restore on Juniper: an ACKed CoA needs no Disconnect', async () => {
    bras.behaviour = () => ({ code: Code.CoAACK });
    const session = { username: 'jun-ok', acctSessionId: 'jun-2', framedIp: null };
    const out = await restore(client, profiles, target('juniper'), session, snapshot({ username: 'jun-ok' }));
    expect(out).toMatchObject({ ok: true, coa: { result: 'ack' } });
    expect(out.disconnect).toBeUndefined();
    expect(bras.received.map((r) => r.packet.code)).toEqual([Code.CoARequest]);
  });

  it('restore on MikroTik (disconnectOnRestore): a Disconnect-Request only', async () => {
    bras.behaviour = () => ({ code: Code.DisconnectACK });
    const session = { username: 'mt-user', acctSessionId: 'mt-1', framedIp: '10.1.2.3' };
    const out = await restore(client, profiles, target('mikrotik'), session, snapshot({ username: 'mt-user' }));
    expect(out).toMatchObject({ ok: true, disconnect: { result: 'ack' } });
    expect(out.coa).toBeUndefined();
    expect(bras.received.map((r) => r.packet.code)).toEqual([Code.DisconnectRequest]);
  });

  it('restrict on a generic NAS (no CoA form): a Disconnect-Request only', async () => {
    bras.behaviour = () => ({ code: Code.DisconnectACK });
    const session = { username: 'gen-user', acctSessionId: 'gen-1', framedIp: null };
    const out = await restrict(client, profiles, target('generic'), session, snapshot({ username: 'gen-user' }));
    expect(out).toMatchObject({ ok: true, disconnect: { result: 'ack' } });
    expect(bras.received.map((r) => r.packet.code)).toEqual([Code.DisconnectRequest]);
  });

  it('rate change on MikroTik: a signed CoA with the new Rate-Limit, audited as rate_change', async () => {
    bras.behaviour = () => ({ code: Code.CoAACK });
    const session = { id: 9, username: 'mt-speed', acctSessionId: 'mt-9', framedIp: '10.1.2.9' };
    const out = await rateChange(client, profiles, target('mikrotik'), session, snapshot({ username: 'mt-speed' }), { speed: { downKbps: 20_000, upKbps: 10_000 } });
    expect(out).toMatchObject({ ok: true, coa: { result: 'ack' } });
    expect(bras.received.map((r) => r.packet.code)).toEqual([Code.CoARequest]);
    const { packet, requestAuthenticatorOk, messageAuthenticatorOk } = bras.received[0]!;
    expect(requestAuthenticatorOk && messageAuthenticatorOk).toBe(true);
    const attrs = decodeAttributes(dict, packet.attributes.filter((a) => a.type !== Attr.MessageAuthenticator)).map((a) => [a.name, a.value]);
    expect(attrs).toEqual([
      ['User-Name', 'mt-speed'],
      ['Acct-Session-Id', 'mt-9'],
      ['Framed-IP-Address', '10.1.2.9'],
      ['Mikrotik-Rate-Limit', '10000k/20000k'],
    ]);
    expect(await auditOf('mt-speed')).toMatchObject([{ request: 'coa', action: 'rate_change', result: 'ack', acct_session_id: 'mt-9' }]);
  });

  it('a CoA timeout does not fall back to Disconnect', async () => {
    const session = { username: 'jun-silent', acctSessionId: 'jun-3', framedIp: null };
    const out = await restrict(client, profiles, target('juniper'), session, snapshot({ username: 'jun-silent' }));
    expect(out).toMatchObject({ ok: false, coa: { result: 'timeout' } });
    expect(out.disconnect).toBeUndefined();
  });
});
