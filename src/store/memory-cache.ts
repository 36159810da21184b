/**
 * HotCache in this process: a Map with expiry times and an EventEmitter for pub/sub. Used when Redis is not
 * configured (one instance). Messages are delivered asynchronously, in publish order, as Redis delivers them,
 * so a handler never runs inside the publisher's call and a throwing handler cannot fail the publish.
 */
import { EventEmitter } from 'node:events';
import type { HotCache } from '../domain/ports.js';

interface Entry {
  readonly value: string;
  /** ms since epoch, or Infinity. */
  readonly expiresAt: number;
}

const SWEEP_EVERY_MS = 60_000;

export interface MemoryCacheOptions {
  /** Reports a handler that threw (the message still reaches the other handlers). */
  readonly onHandlerError?: (err: unknown, channel: string) => void;
}

export function createMemoryCache(options: MemoryCacheOptions = {}): HotCache {
  const entries = new Map<string, Entry>();
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  let closed = false;

  // Expired entries are dropped when read, and by a periodic sweep so unread ones do not accumulate.
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
  }, SWEEP_EVERY_MS);
  sweep.unref();

  const rejectClosed = (): Promise<never> => Promise.reject(new Error('the cache is closed'));

  return {
    kind: 'memory',
    get(key) {
      if (closed) return rejectClosed();
      const entry = entries.get(key);
      if (entry === undefined) return Promise.resolve(null);
      if (entry.expiresAt <= Date.now()) {
        entries.delete(key);
        return Promise.resolve(null);
      }
      return Promise.resolve(entry.value);
    },
    set(key, value, ttlSeconds = 0) {
      if (closed) return rejectClosed();
      entries.set(key, { value, expiresAt: ttlSeconds > 0 ? Date.now() + ttlSeconds * 1000 : Infinity });
      return Promise.resolve();
    },
    del(...keys) {
      if (closed) return rejectClosed();
      for (const key of keys) entries.delete(key);
      return Promise.resolve();
    },
    publish(channel, message) {
      if (closed) return rejectClosed();
      setImmediate(() => bus.emit(channel, message));
      return Promise.resolve();
    },
    subscribe(channel, handler) {
      if (closed) return rejectClosed();
      bus.on(channel, (message: string) => {
        try {
          handler(message);
        } catch (err) {
          options.onHandlerError?.(err, channel);
        }
      });
      return Promise.resolve();
    },
    close() {
      closed = true;
      clearInterval(sweep);
      bus.removeAllListeners();
      entries.clear();
      return Promise.resolve();
    },
  };
}
