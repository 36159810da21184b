import { describe, expect, it } from 'vitest';
import { ReplyCache } from '../../../src/transport/reply-cache.js';

const auth = (n: number) => Buffer.alloc(16, n);

describe('ReplyCache (RFC 5080 duplicate detection)', () => {
  it('replays the cached reply for the same source, port, ID and authenticator', () => {
    const cache = new ReplyCache(5000);
    const first = cache.begin('10.0.0.1', 1000, 7, auth(1), 0);
    expect(first.kind).toBe('new');
    if (first.kind !== 'new' || !first.entry) throw new Error('no entry');
    expect(cache.begin('10.0.0.1', 1000, 7, auth(1), 10).kind).toBe('in-progress');
    first.entry.reply = Buffer.from('reply');
    expect(cache.begin('10.0.0.1', 1000, 7, auth(1), 20)).toEqual({ kind: 'replay', reply: Buffer.from('reply') });
  });

  it('treats a new authenticator, another port or an expired entry as a new request', () => {
    const cache = new ReplyCache(5000);
    const first = cache.begin('10.0.0.1', 1000, 7, auth(1), 0);
    if (first.kind === 'new' && first.entry) first.entry.reply = Buffer.from('r');
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
    const cache = new ReplyCache(5000, 2);
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
});
