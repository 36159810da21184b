/**
 * The only place that knows which database and which hot cache: PostgreSQL when database.url is set, else
 * PGlite under the data dir; Redis when redis.url is set, else in-process. Everything else gets a Store and a
 * HotCache.
 */
import { join, resolve } from 'node:path';
import { ntPasswordHash } from '../auth/mschapv2.js';
import type { Config } from '../config/schema.js';
import type { HotCache, Store } from '../domain/ports.js';
import type { Sql } from '../store/sql.js';
import type { Logger } from '../observability/logger.js';
import { seedDemo } from '../store/demo-seed.js';
import { clusterRelayCache } from '../store/cluster-relay.js';
import { createMemoryCache } from '../store/memory-cache.js';
import { runMigrations } from '../store/migrations.js';
import { createStore } from '../store/store.js';
import type { Component } from './lifecycle.js';

// The drivers are imported when opened: a process on PostgreSQL never loads PGlite (~170 MB once started, and
// a second or two to load), one without redis.url never loads ioredis; the CLI opens its store through these too.

export async function openDatabase(config: Config, log: Logger, options: { applicationName?: string } = {}): Promise<Sql> {
  if (config.database.url) {
    const { createPostgresSql } = await import('../store/postgres.js');
    return createPostgresSql(config.database.url, { max: config.database.poolSize, ...options });
  }
  const dir = join(resolve(config.dataDir), 'pglite');
  log.info({ dir }, 'using the embedded database (PGlite); set database.url for PostgreSQL');
  const { openPGlite } = await import('../store/pglite.js');
  const sharedBuffersMb = config.database.pgliteSharedBuffersMb;
  const opened = await openPGlite(dir, { sharedBuffersMb });
  // created: 'template' (copied from dist/pglite-template), 'initdb' (no template: initdb in a child process)
  // or absent (the directory existed); the two times are the start-up's PGlite phases.
  log.info(
    { ...(opened.origin ? { created: opened.origin, createMs: opened.createMs } : {}), startMs: opened.startMs, sharedBuffersMb },
    'embedded database opened',
  );
  return opened.sql;
}

export async function openCache(config: Config, log: Logger): Promise<HotCache> {
  if (!config.redis.url) return createMemoryCache();
  const { createRedisCache } = await import('../store/redis-cache.js');
  let lastLogged = 0;
  return createRedisCache(config.redis.url, {
    // ioredis keeps reconnecting by itself; one line per 10 s is enough to tell the operator.
    onError: (err) => {
      if (Date.now() - lastLogged < 10_000) return;
      lastLogged = Date.now();
      log.error({ err }, 'Redis error (reconnecting; authorization continues from memory and PostgreSQL)');
    },
  });
}

/**
 * For the processes of a cluster (radius.workers > 1) without Redis: an in-process cache whose change channel
 * is relayed through the primary; with Redis, nothing (each process opens its own connection).
 */
export function clusterCache(config: Config): { cache?: HotCache } {
  return config.redis.url ? {} : { cache: clusterRelayCache(createMemoryCache()) };
}

export interface OpenStoreOptions {
  /** A connection to use instead of opening one from the config (tests); it is still closed on stop. */
  readonly sql?: Sql | undefined;
  /** Apply migrations (database.migrate) and the demo seed (demo.seed); default true. */
  readonly prepare?: boolean;
}

/** The database as the rest of the process sees it; `stop` closes the connection. */
export interface OpenedStore extends Component {
  readonly store: Store;
  /**
   * The connection itself: the root closes it last and tells the components which database it is.
   */
  readonly sql: Sql;
}

/** Opens the database, migrates it and seeds the demo when the config asks for it (see prepareDatabase). */
export async function openStore(config: Config, log: Logger, options: OpenStoreOptions = {}): Promise<OpenedStore> {
  const sql = options.sql ?? (await openDatabase(config, log));
  try {
    if (options.prepare !== false) await prepareDatabase(sql, config, log);
  } catch (err) {
    await sql.close().catch(() => undefined);
    throw err;
  }
  return {
    name: 'database',
    sql,
    store: createStore(sql, { feeTimeZone: config.fees.timeZone }),
    stop: () => sql.close(),
  };
}

/**
 * Migrations when database.migrate is on; the demo tariff and subscribers only when demo.seed is on (the
 * built-in development defaults turn it on; a configuration file must ask for it) and only into an empty
 * embedded database.
 */
export async function prepareDatabase(sql: Sql, config: Config, log: Logger): Promise<void> {
  if (config.database.migrate) {
    const { applied } = await runMigrations(sql, log);
    if (applied.length > 0) log.info({ applied }, 'database migrations applied');
  }
  if (sql.kind === 'pglite' && config.demo.seed) {
    const seeded = await seedDemo(sql, (password) => ntPasswordHash(password).toString('hex'));
    if (seeded) log.info(seeded, 'empty embedded database: seeded the demo tariff and subscribers');
  }
}

/** The hot cache as a component: closed on stop unless it was handed in (`owned` false). */
export function cacheComponent(cache: HotCache, owned: boolean): Component & { readonly cache: HotCache } {
  return { name: 'cache', cache, ...(owned ? { stop: () => cache.close() } : {}) };
}
