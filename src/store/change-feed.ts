/**
 * The change feed on the HotCache: ChangeEvents as JSON on one pub/sub channel (Redis, or in-process), and the
 * subscriber snapshots every instance shares under `snap:<username>`. Writers publish after their write
 * committed; the publish drops the shared snapshots the change makes stale before it tells every instance. Each
 * follower (the subscriber directory, the open-session counts, the blocking service, the NAS table) subscribes on
 * its own; one channel subscription serves them all. A `sessions` event (one per rating pass) carries no cached
 * state to drop: it is delivered as it is.
 */
import type { ChangeEvent, ChangeFeed, ChangeSource, HotCache, SharedSnapshots, SubscriberRepository } from '../domain/ports.js';
import type { SubscriberSnapshot } from '../domain/types.js';
import type { Logger } from '../observability/logger.js';

export const CHANGES_CHANNEL = 'changes';
const snapshotKey = (username: string): string => `snap:${username}`;

/** The shared snapshots on the HotCache (what the change feed drops when they change). */
export function hotCacheSnapshots(cache: HotCache): SharedSnapshots {
  return {
    async get(username) {
      const text = await cache.get(snapshotKey(username));
      return text === null ? null : (JSON.parse(text) as SubscriberSnapshot);
    },
    put: (snapshot, ttlSeconds) => cache.set(snapshotKey(snapshot.username), JSON.stringify(snapshot), ttlSeconds),
  };
}

export interface HotCacheChangeFeedOptions {
  /** Malformed messages and handlers that threw (default: not reported). */
  readonly log?: Logger | undefined;
}

/**
 * @example
 * const changes = hotCacheChangeFeed(cache, store.subscribers, { log });
 * await changes.subscribe((event) => { if (event.kind === 'nas') reloadNas(); });
 * await changes.publish({ kind: 'account', id: 7 });
 */
export function hotCacheChangeFeed(
  cache: HotCache,
  subscribers: Pick<SubscriberRepository, 'snapshotsOfAccount'>,
  options: HotCacheChangeFeedOptions = {},
): ChangeFeed & ChangeSource {
  const { log } = options;
  const handlers: ((event: ChangeEvent) => void)[] = [];
  let subscribed: Promise<void> | undefined;

  const deliver = (message: string): void => {
    let event: ChangeEvent;
    try {
      event = JSON.parse(message) as ChangeEvent;
    } catch {
      log?.warn({ message }, 'ignoring a malformed change event');
      return;
    }
    for (const handler of handlers) {
      try {
        handler(event);
      } catch (err) {
        log?.error({ err, event }, 'a change event handler threw');
      }
    }
  };

  return {
    async publish(event) {
      if (event.kind === 'subscriber' && event.usernames.length > 0) await cache.del(...event.usernames.map(snapshotKey));
      if (event.kind === 'account') {
        const usernames = (await subscribers.snapshotsOfAccount(event.id)).map((s) => s.username);
        if (usernames.length > 0) await cache.del(...usernames.map(snapshotKey));
      }
      // A tariff change alters the tariff embedded in shared snapshots; every instance refreshes the memory copies
      // it holds (what the access path reads) on the event, and shared copies expire after sharedTtlSeconds.
      await cache.publish(CHANGES_CHANNEL, JSON.stringify(event));
    },
    async subscribe(handler) {
      handlers.push(handler);
      if (subscribed === undefined) {
        subscribed = cache.subscribe(CHANGES_CHANNEL, deliver);
        // A failed subscription is tried again by the next subscriber rather than remembered.
        subscribed.catch(() => (subscribed = undefined));
      }
      await subscribed;
    },
    onResync(handler) {
      cache.onResubscribed?.(handler);
    },
  };
}
