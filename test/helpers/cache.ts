/**
 * A fresh HotCache for a test: Redis when TEST_REDIS_URL is set (a random key and channel prefix per call,
 * its keys deleted by cleanup), else the in-process cache.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createMemoryCache } from '../../src/store/memory-cache.js';
import type { HotCache } from '../../src/domain/ports.js';
import { createRedisCache } from '../../src/store/redis-cache.js';

export interface TestCache {
  readonly cache: HotCache;
  /** Closes the cache and deletes every key it may have written. */
  readonly cleanup: () => Promise<void>;
}

export function createMemoryTestCache(): Promise<TestCache> {
  const cache = createMemoryCache();
  return Promise.resolve({ cache, cleanup: () => cache.close() });
}

export function createRedisTestCache(url: string): Promise<TestCache> {
  const prefix = `tollgate:test:${randomBytes(6).toString('hex')}:`;
  const cache = createRedisCache(url, { prefix });
  return Promise.resolve({
    cache,
    async cleanup() {
      await cache.close();
      const redis = new Redis(url);
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
          if (keys.length > 0) await redis.del(...keys);
          cursor = next;
        } while (cursor !== '0');
      } finally {
        await redis.quit();
      }
    },
  });
}

/** Redis when TEST_REDIS_URL is set, else the in-process cache. */
export function createTestCache(): Promise<TestCache> {
  const url = process.env.TEST_REDIS_URL;
  return url ? createRedisTestCache(url) : createMemoryTestCache();
}
