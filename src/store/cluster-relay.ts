/**
 * Change notifications between node:cluster processes when there is no Redis: every publish goes to the
 * primary, which delivers it to its own subscribers and to every worker. Key/value operations stay with the
 * wrapped in-process cache (each process keeps its own shared tier; PostgreSQL is the truth behind it).
 */
import cluster from 'node:cluster';
import type { HotCache } from '../domain/ports.js';

const PUBLISH = 'tollgate:publish';
const DELIVER = 'tollgate:deliver';

interface RelayMessage {
  readonly type: typeof PUBLISH | typeof DELIVER;
  readonly channel: string;
  readonly message: string;
}

function isRelay(m: unknown): m is RelayMessage {
  return typeof m === 'object' && m !== null && ((m as RelayMessage).type === PUBLISH || (m as RelayMessage).type === DELIVER);
}

export function clusterRelayCache(inner: HotCache): HotCache {
  const handlers = new Map<string, ((message: string) => void)[]>();
  const deliverLocally = (channel: string, message: string): void => {
    for (const h of handlers.get(channel) ?? []) h(message);
  };
  const deliverEverywhere = (channel: string, message: string): void => {
    deliverLocally(channel, message);
    for (const w of Object.values(cluster.workers ?? {})) w?.send({ type: DELIVER, channel, message } satisfies RelayMessage);
  };
  if (cluster.isPrimary) {
    cluster.on('message', (_worker, m: unknown) => {
      if (isRelay(m) && m.type === PUBLISH) deliverEverywhere(m.channel, m.message);
    });
  } else {
    process.on('message', (m: unknown) => {
      if (isRelay(m) && m.type === DELIVER) deliverLocally(m.channel, m.message);
    });
  }
  return {
    kind: inner.kind,
    get: (key) => inner.get(key),
    set: (key, value, ttl) => inner.set(key, value, ttl),
    del: (...keys) => inner.del(...keys),
    publish(channel, message) {
      if (cluster.isPrimary) deliverEverywhere(channel, message);
      else process.send?.({ type: PUBLISH, channel, message } satisfies RelayMessage);
      return Promise.resolve();
    },
    subscribe(channel, handler) {
      const list = handlers.get(channel) ?? [];
      list.push(handler);
      handlers.set(channel, list);
      return Promise.resolve();
    },
    close: () => inner.close(),
  };
}
