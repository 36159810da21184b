/**
 * HotCache on Redis (ioredis): one connection for commands, one for subscriptions (a subscribed Redis
 * connection cannot run other commands). Keys and channels are prefixed (`tollgate:` by default) so the
 * daemon can share a Redis. ioredis reconnects and resubscribes by itself; errors while Redis is away are
 * reported to `onError` (quiet by default) and commands fail after a few retries instead of queueing forever.
 */
import { Redis } from 'ioredis';
import type { HotCache } from '../domain/ports.js';

export interface RedisCacheOptions {
  /** Prefix of every key and channel (default 'tollgate:'). */
  readonly prefix?: string;
  /** Connection errors (the client keeps reconnecting) and handlers that threw. */
  readonly onError?: (err: unknown) => void;
  /** CLIENT SETNAME of the two connections: `<name>:commands` and `<name>:subscriber` (default 'tollgate'). */
  readonly connectionName?: string;
}

/**
 * @example
 * const cache = createRedisCache('redis://127.0.0.1:6379/0');
 * await cache.subscribe('changes', (m) => console.log(m));
 * await cache.publish('changes', '{"kind":"nas"}');
 */
export function createRedisCache(url: string, options: RedisCacheOptions = {}): HotCache {
  const prefix = options.prefix ?? 'tollgate:';
  const onError = options.onError ?? (() => undefined);
  const connectionOptions = {
    maxRetriesPerRequest: 2,
    // Back off up to 2 s between attempts, forever: Redis coming back must not need a restart.
    retryStrategy: (times: number) => Math.min(times * 100, 2000),
  };
  const name = options.connectionName ?? 'tollgate';
  const commands = new Redis(url, { ...connectionOptions, connectionName: `${name}:commands` });
  // Commands fail at once while Redis is known to be away, instead of waiting through reconnect attempts: the
  // callers fall back (snapshots from PostgreSQL; a lost change event is made up by the reload after the
  // reconnect). Before the first connection attempt has failed they queue as usual (start-up).
  let commandsDown = false;
  commands.on('ready', () => {
    commandsDown = false;
  });
  commands.on('close', () => {
    commandsDown = true;
  });
  const available = (): Promise<void> =>
    commandsDown && commands.status !== 'ready' ? Promise.reject(new Error(`Redis unavailable (${commands.status})`)) : Promise.resolve();
  // No ready check on the subscriber: ioredis's INFO check is refused on a connection that is already in
  // subscriber mode (after a reconnect, or when SUBSCRIBE was queued first), and the connection would then
  // never become ready nor resubscribe — changes from other instances would silently stop arriving.
  const subscriber = new Redis(url, { ...connectionOptions, enableReadyCheck: false, connectionName: `${name}:subscriber` });
  commands.on('error', onError);
  subscriber.on('error', onError);

  const handlers = new Map<string, ((message: string) => void)[]>();
  // One SUBSCRIBE per channel; later subscribers of the channel wait for the same confirmation.
  const subscribed = new Map<string, Promise<unknown>>();
  subscriber.on('message', (channel: string, message: string) => {
    for (const handler of handlers.get(channel) ?? []) {
      try {
        handler(message);
      } catch (err) {
        onError(err);
      }
    }
  });

  // A subscription connection that comes back (ioredis resubscribes by itself) missed whatever was published
  // while it was away: tell the onResubscribed handlers so they reload.
  const resubscribed: (() => void)[] = [];
  let connectedBefore = false;
  let lost = false;
  subscriber.on('ready', () => {
    if (lost) {
      lost = false;
      for (const handler of resubscribed) {
        try {
          handler();
        } catch (err) {
          onError(err);
        }
      }
    }
    connectedBefore = true;
  });
  subscriber.on('close', () => {
    if (connectedBefore) lost = true;
  });

  const quit = async (client: Redis): Promise<void> => {
    try {
      await client.quit();
    } catch {
      client.disconnect();
    }
  };

  return {
    kind: 'redis',
    async get(key) {
      await available();
      return commands.get(prefix + key);
    },
    async set(key, value, ttlSeconds = 0) {
      await available();
      if (ttlSeconds > 0) await commands.set(prefix + key, value, 'PX', Math.max(1, Math.round(ttlSeconds * 1000)));
      else await commands.set(prefix + key, value);
    },
    async del(...keys) {
      if (keys.length === 0) return;
      await available();
      await commands.del(...keys.map((k) => prefix + k));
    },
    async publish(channel, message) {
      await available();
      await commands.publish(prefix + channel, message);
    },
    async subscribe(channel, handler) {
      const name = prefix + channel;
      handlers.set(name, [...(handlers.get(name) ?? []), handler]);
      let confirmed = subscribed.get(name);
      if (confirmed === undefined) {
        confirmed = subscriber.subscribe(name);
        subscribed.set(name, confirmed);
        confirmed.catch(() => subscribed.delete(name));
      }
      await confirmed;
    },
    onResubscribed(handler) {
      resubscribed.push(handler);
    },
    async close() {
      resubscribed.length = 0;
      handlers.clear();
      subscribed.clear();
      await Promise.all([quit(commands), quit(subscriber)]);
    },
  };
}
