/**
 * bench/radsec-load.mjs, the RadSec load client: its MD5/HMAC-MD5 against node:crypto, its stream framing on every
 * split of a stream, and short runs against the daemon's RadSec listener — directly (passwords hidden right:
 * Access-Accept for the right password, Access-Reject for a wrong one; accounting sessions acknowledged) and
 * through a TLS relay that re-chunks the replies and corrupts some, which the client must count as bad.
 * No timing assertions: throughput is what bench/radsec.sh prints.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacInto, hmacKey, md5, parseArgs, respond, resultLine, run, StreamFramer, type RunOptions } from '../../../bench/radsec-load.mjs';
import { startTestDaemon, testConfigInput, type TestDaemon } from '../../helpers/daemon.js';
import { makePki, type Pki } from '../../helpers/radsec.js';

describe('MD5 and HMAC-MD5', () => {
  it('agree with node:crypto for every length across the block boundaries', () => {
    for (let n = 0; n < 200; n++) {
      const data = randomBytes(n);
      expect(md5(data).toString('hex')).toBe(createHash('md5').update(data).digest('hex'));
      const key = randomBytes(n % 70); // also keys longer than the 64-octet block
      const out = Buffer.alloc(16);
      hmacInto(hmacKey(key), data, 0, n, out, 0);
      expect(out.toString('hex')).toBe(createHmac('md5', key).update(data).digest('hex'));
    }
  });
});

describe('StreamFramer', () => {
  const packet = (len: number, fill: number): Buffer => {
    const b = Buffer.alloc(len, fill);
    b.writeUInt16BE(len, 2);
    return b;
  };
  const stream = Buffer.concat([packet(20, 1), packet(47, 2), packet(300, 3)]);
  const collect = (chunks: Buffer[]): string[] => {
    const got: string[] = [];
    const framer = new StreamFramer(
      (buf, off, len) => got.push(buf.subarray(off, off + len).toString('hex')),
      () => got.push('bad'),
    );
    for (const c of chunks) framer.push(c);
    return got;
  };
  const want = [packet(20, 1), packet(47, 2), packet(300, 3)].map((p) => p.toString('hex'));

  it('delivers the same packets however the stream is cut: coalesced, at any one point, octet by octet', () => {
    expect(collect([stream])).toEqual(want);
    for (let cut = 1; cut < stream.length; cut++) expect(collect([stream.subarray(0, cut), stream.subarray(cut)])).toEqual(want);
    expect(collect([...stream].map((o) => Buffer.from([o])))).toEqual(want);
  });

  it('stops at a Length out of range (framing lost)', () => {
    const broken = Buffer.concat([packet(20, 1), Buffer.from([2, 0, 0, 19]), packet(20, 4)]);
    expect(collect([broken])).toEqual([want[0], 'bad']);
    const big = Buffer.from([2, 0, 0x10, 0x01]); // 4097
    expect(collect([big])).toEqual(['bad']);
  });
});

describe('the trivial responder (-L)', () => {
  it('answers auth and acct with valid authenticators; the RESULT line has radload\'s fields', async () => {
    const pki = makePki();
    const server = await respond({ host: '127.0.0.1', port: 0, ca: pki.ca, cert: pki.serverCert, key: pki.serverKey });
    const port = (server.address() as { port: number }).port;
    try {
      const options = parseArgs(['-s', `127.0.0.1:${port}`, '--ca', pki.ca, '--cert', pki.good.cert, '--key', pki.good.key, '-U', '10', '-w', '8', '-d', '0.3']);
      const auth = await run({ ...options, log: () => undefined });
      expect(auth.ok).toBe(auth.sent);
      expect(auth.ok).toBeGreaterThan(0);
      expect(resultLine(auth)).toMatch(/^RESULT mode=auth transport=radsec rps=\d+ p50_ms=[\d.]+ p90_ms=[\d.]+ p99_ms=[\d.]+ max_ms=[\d.]+ sent=\d+ ok=\d+ rejects=0 timeouts=0 bad=0 late=0$/);
      const acct = await run({ ...options, mode: 'acct', log: () => undefined });
      expect(acct.stopsAcked).toBe(acct.sessions);
      expect(resultLine(acct)).toMatch(/ bad=0 late=0 sessions=\d+ stops_acked=\d+$/);
    } finally {
      server.close();
    }
  });
});

describe('runs against the RadSec listener', () => {
  let pki: Pki;
  let d: TestDaemon;
  const users: [string, string][] = [
    ['user000001', 'pw000001'],
    ['user000002', 'a password longer than sixteen octets'],
    ['user000003', 'wrong'],
  ];
  let base: RunOptions;
  beforeAll(async () => {
    pki = makePki();
    const input = testConfigInput({
      log: { level: 'warn' },
      users: [
        { username: 'user000001', password: 'pw000001' },
        { username: 'user000002', password: 'a password longer than sixteen octets' },
        { username: 'user000003', password: 'pw000003' },
      ],
      fees: { enabled: false },
      radius: { listen: ['127.0.0.1'], authPort: 0, acctPort: 0, radsec: { port: 0, certFile: pki.serverCert, keyFile: pki.serverKey, caFile: pki.ca } },
    });
    d = await startTestDaemon(input);
    base = {
      host: '127.0.0.1',
      port: d.app.ports.radsec,
      ca: pki.ca,
      cert: pki.good.cert,
      key: pki.good.key,
      users,
      window: 24,
      connections: 2,
      duration: 1,
      timeoutMs: 2000,
      log: () => undefined,
    };
  });
  afterAll(async () => {
    await d?.stop();
  });

  it('auth: accepts for the right passwords, a reject for the wrong one, every reply verified', async () => {
    const r = await run(base);
    expect(r.ok).toBeGreaterThan(0);
    expect(r.rejects).toBeGreaterThan(0);
    expect(r.ok + r.rejects).toBe(r.sent);
    expect({ timeouts: r.timeouts, bad: r.bad, late: r.late }).toEqual({ timeouts: 0, bad: 0, late: 0 });
  });

  it('acct: sessions of Start, interims and Stop, every one acknowledged', async () => {
    const r = await run({ ...base, mode: 'acct', window: 4, interims: 1 });
    expect(r.sessions).toBeGreaterThan(0);
    expect(r.stopsAcked).toBe(r.sessions);
    expect(r.ok).toBe(r.sent);
    expect({ timeouts: r.timeouts, bad: r.bad }).toEqual({ timeouts: 0, bad: 0 });
  });

  it('counts a reply with a wrong Response Authenticator as bad (and its request times out), whatever the chunking', async () => {
    // A TLS relay between the client and the daemon: replies go back in random slices, each its own write (its
    // own TLS record), and every 7th reply has an octet of its Response Authenticator flipped.
    let replies = 0;
    const relay = tls.createServer(
      { cert: readFileSync(pki.serverCert), key: readFileSync(pki.serverKey), ca: readFileSync(pki.ca), requestCert: true },
      (client) => {
        const upstream = tls.connect({ host: '127.0.0.1', port: d.app.ports.radsec, ca: readFileSync(pki.ca), cert: readFileSync(pki.good.cert), key: readFileSync(pki.good.key) });
        client.on('data', (c: Buffer) => upstream.write(c));
        const framer = new StreamFramer(
          (buf, off, len) => {
            const reply = Buffer.from(buf.subarray(off, off + len));
            if (++replies % 7 === 0) reply[9]! ^= 0xff;
            for (let at = 0; at < len; ) {
              const n = 1 + Math.floor(Math.random() * 40);
              client.write(reply.subarray(at, at + n));
              at += n;
            }
          },
          () => client.destroy(),
        );
        upstream.on('data', (c: Buffer) => framer.push(c));
        const close = (): void => {
          client.destroy();
          upstream.destroy();
        };
        client.on('close', close).on('error', close);
        upstream.on('close', close).on('error', close);
      },
    );
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const port = (relay.address() as { port: number }).port;
    try {
      const r = await run({ ...base, port, users: users.slice(0, 2), timeoutMs: 200 });
      expect(r.ok).toBeGreaterThan(0);
      expect(r.bad).toBeGreaterThan(0);
      expect(r.timeouts).toBe(r.bad);
      expect(r.ok + r.bad).toBe(r.sent);
    } finally {
      relay.close();
    }
  });

  it('refuses a target outside 127.0.0.0/8', async () => {
    await expect(run({ ...base, host: '192.0.2.1' })).rejects.toThrow(/refusing/);
  });
});
