/**
 * Changes published while the change channel was down never arrive: when the channel is back, the subscriber
 * directory reloads every snapshot from the database. PGlite, or PostgreSQL when TEST_DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SubscriberDirectory } from '../../src/aaa/subscriber-directory.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMemoryCache } from '../../src/store/memory-cache.js';
import type { HotCache, Store } from '../../src/domain/ports.js';
import { hotCacheChangeFeed, hotCacheSnapshots } from '../../src/store/change-feed.js';
import { createStore } from '../../src/store/store.js';
import { createTestSql, type TestSql } from '../helpers/sql.js';

let db: TestSql;
let store: Store;

beforeAll(async () => {
  db = await createTestSql({ migrate: true });
  store = createStore(db.sql);
});

afterAll(async () => {
  await db?.cleanup();
});

describe('subscriber directory after a change-channel outage', () => {
  it('reloads every snapshot, so a change made while events were lost is seen', async () => {
    const account = await store.accounts.create({});
    await store.subscribers.create({ username: 'resync-a', password: 'old-password', accountId: account.id });
    // An in-process cache standing in for Redis, with the reconnect notification Redis gives.
    let resubscribed: (() => void) | undefined;
    const cache: HotCache = Object.assign(createMemoryCache(), { onResubscribed: (h: () => void) => (resubscribed = h) });
    const directory = new SubscriberDirectory(store.subscribers, hotCacheSnapshots(cache), { maxEntries: 1000, negativeTtlSeconds: 30, sharedTtlSeconds: 60 }, createLogger('silent'));
    await directory.warm();
    let resyncs = 0;
    await directory.follow(hotCacheChangeFeed(cache, store.subscribers), () => resyncs++);
    const password = async (u: string): Promise<string | null | undefined> => (await directory.get(u))?.snapshot.password;
    expect(await password('resync-a')).toBe('old-password');

    // While the channel is down: a password change and a new subscriber, whose events are lost.
    const [a] = (await store.subscribers.list({ limit: 10, offset: 0 }, { username: 'resync-a' })).items;
    await store.subscribers.update(a!.id, { password: 'new-password' });
    await store.subscribers.create({ username: 'resync-b', password: 'b-password', accountId: account.id });
    expect(await password('resync-a')).toBe('old-password');

    resubscribed?.();
    await expect.poll(() => resyncs, { timeout: 5000 }).toBe(1);
    expect(await password('resync-a')).toBe('new-password');
    expect(await password('resync-b')).toBe('b-password');
    expect(directory.counters().databaseLoads).toBe(0);
    await cache.close();
  });
});
