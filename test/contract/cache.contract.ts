/**
 * The HotCache contract: one suite run against every implementation (in-process, Redis). `makeCache` returns
 * a cache with a namespace of its own (a random prefix on Redis), so the suite may use fixed key names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeEvent, HotCache } from '../../src/domain/ports.js';
import { CHANGES_CHANNEL, hotCacheChangeFeed, hotCacheSnapshots } from '../../src/store/change-feed.js';
import type { TestCache } from '../helpers/cache.js';
import { snapshot } from '../helpers/snapshot.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check` holds (messages arrive asynchronously on both implementations). */
async function eventually(check: () => void, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(10);
    }
  }
}

export function cacheContract(name: string, makeCache: () => Promise<TestCache>): void {
  describe(`HotCache contract: ${name}`, () => {
    let test: TestCache;
    let cache: HotCache;
    beforeAll(async () => {
      test = await makeCache();
      cache = test.cache;
    });
    afterAll(async () => {
      await test?.cleanup();
    });

    it('gets what was set, null for a missing key, and overwrites', async () => {
      expect(await cache.get('k1')).toBeNull();
      await cache.set('k1', 'v1');
      expect(await cache.get('k1')).toBe('v1');
      await cache.set('k1', '{"json":"ünïcode ✓"}');
      expect(await cache.get('k1')).toBe('{"json":"ünïcode ✓"}');
      await cache.set('empty', '');
      expect(await cache.get('empty')).toBe('');
    });

    it('deletes one or several keys, missing ones included, and accepts no keys', async () => {
      await cache.set('d1', '1');
      await cache.set('d2', '2');
      await cache.set('d3', '3');
      await cache.del('d1');
      expect(await cache.get('d1')).toBeNull();
      await cache.del('d2', 'd3', 'never-set');
      expect([await cache.get('d2'), await cache.get('d3')]).toEqual([null, null]);
      await expect(cache.del()).resolves.toBeUndefined();
    });

    it('expires a key after its TTL; 0 and no TTL mean no expiry', async () => {
      await cache.set('ttl', 'short', 1);
      await cache.set('ttl0', 'forever', 0);
      await cache.set('ttl-none', 'forever');
      expect(await cache.get('ttl')).toBe('short');
      await sleep(1_200);
      expect(await cache.get('ttl')).toBeNull();
      expect(await cache.get('ttl0')).toBe('forever');
      expect(await cache.get('ttl-none')).toBe('forever');
    });

    it('setting a key again without TTL removes the earlier expiry', async () => {
      await cache.set('re', 'a', 1);
      await cache.set('re', 'b');
      await sleep(1_200);
      expect(await cache.get('re')).toBe('b');
    });

    it('delivers a publish to every handler of the channel, this instance included, in order', async () => {
      const first: string[] = [];
      const second: string[] = [];
      await cache.subscribe('changes', (m) => first.push(m));
      await cache.subscribe('changes', (m) => second.push(m));
      await cache.publish('changes', 'one');
      await cache.publish('changes', 'two');
      await cache.publish('changes', '{"kind":"nas"}');
      await eventually(() => expect(first).toEqual(['one', 'two', '{"kind":"nas"}']));
      await eventually(() => expect(second).toEqual(['one', 'two', '{"kind":"nas"}']));
    });

    it('keeps channels apart and ignores publishes nobody listens to', async () => {
      const a: string[] = [];
      await cache.subscribe('chan-a', (m) => a.push(m));
      await cache.publish('chan-b', 'not for a');
      await cache.publish('nobody', 'lost');
      await cache.publish('chan-a', 'for a');
      await eventually(() => expect(a).toEqual(['for a']));
      await sleep(50);
      expect(a).toEqual(['for a']);
    });

    it('keeps delivering to other handlers when one throws', async () => {
      const got: string[] = [];
      await cache.subscribe('throwing', () => {
        throw new Error('handler bug');
      });
      await cache.subscribe('throwing', (m) => got.push(m));
      await cache.publish('throwing', 'x');
      await cache.publish('throwing', 'y');
      await eventually(() => expect(got).toEqual(['x', 'y']));
    });

    it('publishes nothing when a key is set (keys are not channels)', async () => {
      const seen: string[] = [];
      await cache.subscribe('k-events', (m) => seen.push(m));
      await cache.set('k-events', 'value');
      await sleep(50);
      expect(seen).toEqual([]);
    });
  });

  describe(`change feed on the HotCache: ${name}`, () => {
    let test: TestCache;
    let cache: HotCache;
    // The account's subscribers, as the store would list them for an account event.
    const ofAccount = new Map([[3, [snapshot({ username: 'acc-a', accountId: 3 }), snapshot({ username: 'acc-b', accountId: 3 })]]]);
    const subscribers = { snapshotsOfAccount: (id: number) => Promise.resolve(ofAccount.get(id) ?? []) };
    beforeAll(async () => {
      test = await makeCache();
      cache = test.cache;
    });
    afterAll(async () => {
      await test?.cleanup();
    });

    it('shares snapshots between instances and gives each follower every event, in order, malformed ones left out', async () => {
      const changes = hotCacheChangeFeed(cache, subscribers);
      const first: ChangeEvent[] = [];
      const second: ChangeEvent[] = [];
      await changes.subscribe((e) => first.push(e));
      await changes.subscribe(() => {
        throw new Error('a follower bug');
      });
      await changes.subscribe((e) => second.push(e));
      const events: ChangeEvent[] = [{ kind: 'nas' }, { kind: 'tariff', id: 4 }, { kind: 'subscriber', id: 7, usernames: [] }];
      await changes.publish(events[0]!);
      await cache.publish(CHANGES_CHANNEL, 'not json');
      for (const e of events.slice(1)) await changes.publish(e);
      await eventually(() => expect(first).toEqual(events));
      await eventually(() => expect(second).toEqual(events));

      const shared = hotCacheSnapshots(cache);
      expect(await shared.get('nobody')).toBeNull();
      const alice = snapshot({ username: 'shared-alice' });
      await shared.put(alice, 60);
      expect(await shared.get('shared-alice')).toEqual(alice);
    });

    it('drops the shared snapshots a subscriber or account change makes stale, and no others', async () => {
      const changes = hotCacheChangeFeed(cache, subscribers);
      const shared = hotCacheSnapshots(cache);
      for (const username of ['sub-x', 'sub-y', 'acc-a', 'acc-b', 'bystander']) await shared.put(snapshot({ username }), 60);
      await changes.publish({ kind: 'subscriber', id: 1, usernames: ['sub-x', 'sub-y'] });
      expect(await shared.get('sub-x')).toBeNull();
      expect(await shared.get('sub-y')).toBeNull();
      await changes.publish({ kind: 'account', id: 3 });
      expect(await shared.get('acc-a')).toBeNull();
      expect(await shared.get('acc-b')).toBeNull();
      expect((await shared.get('bystander'))?.username).toBe('bystander');
    });
  });
}
