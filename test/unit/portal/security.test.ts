/** Who is asking (X-Forwarded-For from trusted proxies only), rate limiting, connection limits, CSRF and widget tokens. */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { ClientAddressResolver, normalizeAddress } from '../../../src/portal/client-address.js';
import { ConnectionLimit } from '../../../src/portal/connection-limit.js';
import { CsrfTokens } from '../../../src/portal/csrf.js';
import { RateLimiter } from '../../../src/portal/rate-limit.js';
import { WidgetTokens } from '../../../src/domain/widget-token.js';

describe('client address', () => {
  const resolver = new ClientAddressResolver(['10.0.0.1', '192.0.2.0/24', '2001:db8::/32']);

  it('normalises IPv4-mapped IPv6, brackets and zones', () => {
    expect(normalizeAddress('::ffff:100.64.0.1')).toBe('100.64.0.1');
    expect(normalizeAddress('[2001:DB8::1]')).toBe('2001:db8::1');
    expect(normalizeAddress('fe80::1%eth0')).toBe('fe80::1');
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
    expect(resolver.resolve('100.64.0.7', '100.64.0.9')).toBe('100.64.0.7');
    expect(new ClientAddressResolver([]).resolve('10.0.0.1', '100.64.0.9')).toBe('10.0.0.1');
  });

  it('takes the first untrusted hop from the right', () => {
    expect(resolver.resolve('10.0.0.1', '100.64.0.9')).toBe('100.64.0.9');
    expect(resolver.resolve('::ffff:10.0.0.1', '100.64.0.9')).toBe('100.64.0.9');
    // A client-supplied first entry cannot win: the proxies appended the real one after it.
    expect(resolver.resolve('10.0.0.1', '1.2.3.4, 100.64.0.9, 192.0.2.44')).toBe('100.64.0.9');
    expect(resolver.resolve('10.0.0.1', ['1.2.3.4', '100.64.0.9'])).toBe('100.64.0.9');
    expect(resolver.resolve('2001:db8::5', '2001:db9::77')).toBe('2001:db9::77');
  });

  it('uses the leftmost hop when every hop is a trusted proxy, and nobody for a malformed hop', () => {
    expect(resolver.resolve('10.0.0.1', '192.0.2.9, 192.0.2.10')).toBe('192.0.2.9');
    expect(resolver.resolve('10.0.0.1', 'unknown, 100.64.0.9')).toBe('100.64.0.9');
    expect(resolver.resolve('10.0.0.1', '100.64.0.9, not-an-ip')).toBeUndefined();
    expect(resolver.resolve(undefined, '100.64.0.9')).toBeUndefined();
  });

  it('keeps the peer when a trusted proxy sends no header', () => {
    expect(resolver.resolve('10.0.0.1', undefined)).toBe('10.0.0.1');
  });
});

describe('rate limiter', () => {
  it('allows a burst, then refills at the sustained rate', () => {
    let now = 0;
    const limiter = new RateLimiter({ perMinute: 60, burst: 3, now: () => now });
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBe(1);
    expect(limiter.take('b')).toBe(0);
    now += 1000;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBeGreaterThan(0);
    now += 60_000;
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0, 1]);
  });

  it('forgets the least recently seen address when full', () => {
    const limiter = new RateLimiter({ perMinute: 1, burst: 1, maxEntries: 2, now: () => 0 });
    limiter.take('a');
    limiter.take('b');
    limiter.take('a'); // a is now the most recent
    limiter.take('c'); // evicts b
    expect(limiter.size).toBe(2);
    expect(limiter.take('b')).toBe(0);
    expect(limiter.take('c')).toBeGreaterThan(0);
  });
});

describe('connection limit', () => {
  /** A dual-stack listener that closes what the limit refuses, as the portal does. */
  async function listener(limit: ConnectionLimit): Promise<{ server: net.Server; port: number }> {
    const server = net.createServer((socket) => {
      if (!limit.admit(socket)) socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '::', resolve));
    return { server, port: (server.address() as net.AddressInfo).port };
  }

  /** A connection from `from` (a loopback source address; `::ffff:` ones go over IPv6 to the mapped address). */
  async function connect(port: number, from: string): Promise<{ socket: net.Socket; closed: Promise<void> }> {
    const host = from.startsWith('::ffff:') ? from : '127.0.0.1';
    const socket = net.connect({ port, host, ...(from.startsWith('::ffff:') ? {} : { localAddress: from }) });
    socket.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    return { socket, closed };
  }

  const settle = () => new Promise((r) => setTimeout(r, 50));

  it('counts open connections per peer address, refuses beyond the limit, and forgets closed ones', async () => {
    const limit = new ConnectionLimit(2);
    const { server, port } = await listener(limit);
    try {
      const a = await connect(port, '127.0.0.1');
      // IPv4 through a dual-stack socket (::ffff:127.0.0.1) is the same address.
      const b = await connect(port, '::ffff:127.0.0.1');
      const c = await connect(port, '127.0.0.1');
      await c.closed;
      await settle();
      expect(limit.count('127.0.0.1')).toBe(2);
      const other = await connect(port, '127.0.0.2');
      await settle();
      expect(limit.count('127.0.0.2')).toBe(1);
      a.socket.destroy();
      await a.closed;
      await settle();
      expect(limit.count('127.0.0.1')).toBe(1);
      const d = await connect(port, '127.0.0.1');
      await settle();
      expect(limit.count('127.0.0.1')).toBe(2);
      expect(d.socket.destroyed).toBe(false);
      for (const s of [b, other, d]) s.socket.destroy();
      await Promise.all([b.closed, other.closed, d.closed]);
      await settle();
      expect(limit.count('127.0.0.1')).toBe(0);
      expect(limit.count('127.0.0.2')).toBe(0);
    } finally {
      server.close();
    }
  });
});

describe('CSRF tokens', () => {
  it('accept a token for the same session and address only, while young', () => {
    let now = 1_700_000_000_000;
    const csrf = new CsrfTokens('a-long-enough-secret-for-the-portal-csrf', 3_600_000, () => now);
    const token = csrf.issue(42, '100.64.0.9');
    expect(csrf.verify(token, 42, '100.64.0.9')).toBe(true);
    expect(csrf.verify(token, 43, '100.64.0.9')).toBe(false);
    expect(csrf.verify(token, 42, '100.64.0.10')).toBe(false);
    const flip = (text: string, at: number) => `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;
    expect(csrf.verify(flip(token, token.length - 10), 42, '100.64.0.9')).toBe(false);
    // The last character carries 2 unused bits: another spelling of the same MAC is refused too.
    const last = token.at(-1)!;
    const sameBits = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(last) ^ 1;
    expect(csrf.verify(`${token.slice(0, -1)}${'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[sameBits]}`, 42, '100.64.0.9')).toBe(false);
    expect(csrf.verify(undefined, 42, '100.64.0.9')).toBe(false);
    expect(csrf.verify('', 42, '100.64.0.9')).toBe(false);
    expect(new CsrfTokens('another-long-enough-secret-for-the-portal').verify(token, 42, '100.64.0.9')).toBe(false);
    now += 3_600_001;
    expect(csrf.verify(token, 42, '100.64.0.9')).toBe(false);
  });

  it('without a configured secret, a random key per instance', () => {
    const a = new CsrfTokens(undefined);
    const b = new CsrfTokens(undefined);
    expect(a.verify(a.issue(1, '100.64.0.1'), 1, '100.64.0.1')).toBe(true);
    expect(b.verify(a.issue(1, '100.64.0.1'), 1, '100.64.0.1')).toBe(false);
  });
});

describe('widget tokens', () => {
  const secret = 'widget-secret-0123456789-abcdefghijklmnop';

  it('round-trips the subscriber and expiry', () => {
    let now = 1_700_000_000_000;
    const tokens = new WidgetTokens(secret, () => now);
    const { token, expiresAt } = tokens.issue(7, 600);
    expect(expiresAt.getTime()).toBe(now + 600_000);
    expect(tokens.verify(token)).toEqual({ ok: true, claims: { subscriberId: 7, expiresAt: now / 1000 + 600 } });
    now += 600_000;
    expect(tokens.verify(token)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses tampering, another secret and garbage', () => {
    const tokens = new WidgetTokens(secret);
    const { token } = tokens.issue(7, 600);
    const [v, , mac] = token.split('.');
    const otherPayload = Buffer.from(JSON.stringify({ sub: 8, exp: 9_999_999_999 })).toString('base64url');
    expect(tokens.verify(`${v}.${otherPayload}.${mac}`)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(new WidgetTokens(`${secret}-other`).verify(token)).toEqual({ ok: false, reason: 'bad_signature' });
    for (const bad of [undefined, '', 'v1..', 'v2.abc.def', `${token}x`, 'x'.repeat(600)]) expect(tokens.verify(bad).ok).toBe(false);
  });

  it('needs a long secret', () => {
    expect(() => new WidgetTokens('short')).toThrow(RangeError);
  });
});
