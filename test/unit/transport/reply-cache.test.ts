import { describe, expect, it } from 'vitest';
import { ENTRY_OVERHEAD_BYTES, ReplyCache } from '../../../src/transport/reply-cache.js';

const auth = (n: number) => Buffer.alloc(16, n);

describe('ReplyCache (RFC 5080 duplicate detection)', () => {
  it('replays the cached reply for the same source, port, ID and authenticator', () => {
    const cache = new ReplyCache(5000);
    const first = cache.begin('10.0.0.1', 1000, 7, auth(1), 0);
    expect(first.kind).toBe('new');
    if (first.kind !== 'new' || !first.entry) throw new Error('no entry');
    expect(cache.begin('10.0.0.1', 1000, 7, auth(1), 10).kind).toBe('in-progress');
    cache.complete(first.entry, Buffer.from('reply'));
    expect(cache.begin('10.0.0.1', 1000, 7, auth(1), 20)).toEqual({ kind: 'replay', reply: Buffer.from('reply') });
  });

  it('treats a new authenticator, another port or an expired entry as a new request', () => {
    const cache = new ReplyCache(5000);
    const first = cache.begin('10.0.0.1', 1000, 7, auth(1), 0);
    if (first.kind === 'new') cache.complete(first.entry, Buffer.from('r'));
    expect(cache.begin('10.0.0.1', 1000, 7, auth(2), 1).kind).toBe('new');
    expect(cache.begin('10.0.0.1', 1001, 7, auth(2), 1).kind).toBe('new');
    expect(cache.begin('10.0.0.1', 1001, 7, auth(2), 6000).kind).toBe('new');
  });

  it('forgets abandoned requests so the retransmission is processed', () => {
    const cache = new ReplyCache(5000);
    const first = cache.begin('10.0.0.1', 1000, 7, auth(1), 0);
    if (first.kind !== 'new') throw new Error('not new');
    cache.abandon(first.entry);
    expect(cache.begin('10.0.0.1', 1000, 7, auth(1), 1).kind).toBe('new');
  });

  it('evicts the oldest entry when full', () => {
    const cache = new ReplyCache(5000, 2 * ENTRY_OVERHEAD_BYTES);
    cache.begin('a', 1, 1, auth(1), 0);
    cache.begin('a', 1, 2, auth(1), 1);
    cache.begin('a', 1, 3, auth(1), 2);
    expect(cache.size).toBe(2);
    expect(cache.begin('a', 1, 1, auth(1), 3).kind).toBe('new');
    expect(cache.begin('a', 1, 3, auth(1), 4).kind).toBe('in-progress');
  });

  it('sweeps expired entries and is off with a ttl of 0', () => {
    const cache = new ReplyCache(100);
    cache.begin('a', 1, 1, auth(1), 0);
    cache.begin('a', 1, 2, auth(1), 50);
    cache.sweep(120);
    expect(cache.size).toBe(1);
    const off = new ReplyCache(0);
    expect(off.begin('a', 1, 1, auth(1), 0)).toEqual({ kind: 'new', entry: null });
    expect(off.size).toBe(0);
  });

  it('is bounded by the bytes it holds: replies and a fixed cost per entry, oldest evicted first', () => {
    const bound = 3 * ENTRY_OVERHEAD_BYTES + 250;
    const cache = new ReplyCache(5000, bound);
    const reply = Buffer.alloc(100, 0xaa);
    for (let id = 0; id < 3; id++) {
      const l = cache.begin('a', 1, id, auth(id), id);
      if (l.kind !== 'new') throw new Error('not new');
      cache.complete(l.entry, reply);
      expect(cache.stats.bytes).toBeLessThanOrEqual(bound);
    }
    // Three entries of 100-octet replies need 3 × overhead + 300 > bound: the oldest went.
    expect(cache.size).toBe(2);
    expect(cache.stats).toEqual({ bytes: 2 * (ENTRY_OVERHEAD_BYTES + 100), replaced: 0, evicted: 1, expired: 0 });
    expect(cache.begin('a', 1, 0, auth(0), 10).kind).toBe('new');
    expect(cache.begin('a', 1, 2, auth(2), 11)).toEqual({ kind: 'replay', reply });
    // A reply larger than the whole cache is not kept, and empties nothing else.
    const big = new ReplyCache(5000, ENTRY_OVERHEAD_BYTES + 10);
    const l = big.begin('a', 1, 1, auth(1), 0);
    if (l.kind !== 'new') throw new Error('not new');
    big.complete(l.entry, reply);
    expect(big.size).toBe(0);
    expect(big.stats.bytes).toBe(0);
  });

  it('frees and counts replaced and expired entries, keeping no view into the request datagram', () => {
    const cache = new ReplyCache(100);
    const datagram = Buffer.alloc(65_536, 1);
    const first = cache.begin('a', 1, 1, datagram.subarray(4, 20), 0);
    if (first.kind !== 'new' || !first.entry) throw new Error('not new');
    cache.complete(first.entry, Buffer.from('reply-1'));
    expect(Object.values(first.entry).some((v) => Buffer.isBuffer(v) && v.buffer === datagram.buffer)).toBe(false);
    // The same Identifier with another authenticator: a new request, the old entry and its reply are freed.
    datagram[4] = 2;
    const second = cache.begin('a', 1, 1, datagram.subarray(4, 20), 10);
    expect(second.kind).toBe('new');
    expect(first.entry.reply).toBeNull();
    expect(cache.stats).toMatchObject({ replaced: 1, bytes: ENTRY_OVERHEAD_BYTES });
    if (second.kind === 'new') cache.complete(second.entry, Buffer.from('reply-2'));
    cache.sweep(200);
    expect(cache.size).toBe(0);
    expect(cache.stats).toEqual({ bytes: 0, replaced: 1, evicted: 0, expired: 1 });
  });
});
