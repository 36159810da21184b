/**
 * The HotCache contract against the in-process cache (always) and Redis (when TEST_REDIS_URL is set, with a
 * random key prefix per run), plus what only Redis has: the prefix on the wire, two instances, close.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../src/store/memory-cache.js';
import { createRedisCache } from '../../src/store/redis-cache.js';
import { createMemoryTestCache, createRedisTestCache, type TestCache } from '../helpers/cache.js';
import { cacheContract } from './cache.contract.js';

cacheContract('memory', createMemoryTestCache);

describe('memory cache', () => {
  it('reports kind memory and refuses use after close', async () => {
    const cache = createMemoryCache();
    expect(cache.kind).toBe('memory');
    await cache.close();
    await expect(cache.get('k')).rejects.toThrow(/closed/);
  });

  it('reports a throwing handler to onHandlerError', async () => {
    const errors: string[] = [];
    const cache = createMemoryCache({ onHandlerError: (err, channel) => errors.push(`${channel}: ${(err as Error).message}`) });
    await cache.subscribe('c', () => {
      throw new Error('boom');
    });
    await cache.publish('c', 'm');
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toEqual(['c: boom']);
    await cache.close();
  });
});

describe('redis cache without a server', () => {
  it('fails commands after a few retries, reports connection errors quietly, and closes', async () => {
    const errors: unknown[] = [];
    // Port 1 on loopback: connection refused at once.
    const cache = createRedisCache('redis://127.0.0.1:1', { onError: (err) => errors.push(err) });
    await expect(cache.get('k')).rejects.toThrow();
    expect(errors.length).toBeGreaterThan(0);
    await cache.close();
  });
});

const url = process.env.TEST_REDIS_URL;
describe.skipIf(!url)('Redis', () => {
  cacheContract('Redis', () => createRedisTestCache(url!));

  describe('redis cache', () => {
    let a: TestCache;
    let raw: Redis;
    const prefix = `tollgate:test:${Date.now().toString(36)}:`;
    beforeAll(() => {
      raw = new Redis(url!);
    });
    afterAll(async () => {
      await a?.cleanup();
      const keys = await raw.keys(`${prefix}*`);
      if (keys.length > 0) await raw.del(...keys);
      await raw.quit();
    });

    it('prefixes keys and channels, and shares them between instances', async () => {
      a = await createRedisTestCache(url!);
      expect(a.cache.kind).toBe('redis');
      const one = createRedisCache(url!, { prefix });
      const two = createRedisCache(url!, { prefix });
      try {
        await one.set('shared', 'v', 30);
        expect(await raw.get(`${prefix}shared`)).toBe('v');
        expect(await raw.pttl(`${prefix}shared`)).toBeGreaterThan(29_000);
        expect(await two.get('shared')).toBe('v');

        const got: string[] = [];
        await two.subscribe('changes', (m) => got.push(m));
        await one.publish('changes', 'from one');
        const direct: string[] = [];
        const listener = raw.duplicate();
        await listener.subscribe(`${prefix}changes`);
        listener.on('message', (_c: string, m: string) => direct.push(m));
        await one.publish('changes', 'again');
        await expect.poll(() => got, { timeout: 2000 }).toEqual(['from one', 'again']);
        await expect.poll(() => direct, { timeout: 2000 }).toEqual(['again']);
        await listener.quit();
      } finally {
        await one.close();
        await two.close();
      }
    });

    it('reports a subscription connection that came back, and delivers on it again', async () => {
      const name = `tgtest-${Date.now().toString(36)}`;
      const cache = createRedisCache(url!, { prefix, connectionName: name });
      try {
        const got: string[] = [];
        let resubscribed = 0;
        cache.onResubscribed?.(() => resubscribed++);
        await cache.subscribe('resub', (m) => got.push(m));
        await cache.publish('resub', 'before');
        await expect.poll(() => got, { timeout: 2000 }).toEqual(['before']);
        expect(resubscribed).toBe(0);
        // Drop just this instance's subscription connection, as a Redis restart or a network blip would.
        const line = String(await raw.call('CLIENT', 'LIST')).split('\n').find((l) => l.includes(`name=${name}:subscriber`));
        const id = /\bid=(\d+)/.exec(line ?? '')?.[1];
        expect(id).toBeDefined();
        await raw.call('CLIENT', 'KILL', 'ID', id!);
        await expect.poll(() => resubscribed, { timeout: 5000 }).toBe(1);
        await expect
          .poll(
            async () => {
              await cache.publish('resub', 'after');
              return got.includes('after');
            },
            { timeout: 5000 },
          )
          .toBe(true);
      } finally {
        await cache.close();
      }
    });

    it('closes both connections', async () => {
      const cache = createRedisCache(url!, { prefix });
      await cache.subscribe('x', () => undefined);
      const clients = async (): Promise<number> => String(await raw.call('CLIENT', 'LIST')).split('\n').filter(Boolean).length;
      const before = await clients();
      await cache.close();
      await expect.poll(clients, { timeout: 2000 }).toBe(before - 2);
    });
  });
});
