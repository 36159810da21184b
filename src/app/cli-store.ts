/**
 * What the `tollgate` commands need from the composition root: the configured database and change feed (the same
 * ones the daemon uses), migrated, as a Store; `tollgate migrate`; `tollgate config check`; and a FreeRADIUS
 * database to import from. The CLI may not reach the store adapters itself.
 *
 * Each adapter is imported when it is opened, not when this module loads: a command against PostgreSQL never
 * loads PGlite (nor Redis without redis.url), and nothing here pulls in the RADIUS servers or the HTTP API, so a
 * command starts in a fraction of the daemon's start-up time and memory.
 */
import { loadConfig, type LoadedConfig } from '../config/load.js';
import type { BulkImportRepository, ChangeFeed, FreeRadiusSource, Store } from '../domain/ports.js';
import { createLogger, type Logger } from '../observability/logger.js';
import { openCache, openDatabase } from './database.js';

export { macAddress } from '../store/validate.js';

/** The store a command works on, and the change feed that tells running daemons what changed. */
export interface OpenedStore {
  readonly store: Store;
  readonly changes: ChangeFeed;
  /** Subscribers in bulk (import csv): chunked multi-row statements, one transaction for all (every row or none). */
  readonly bulk: BulkImportRepository;
  /** Runs `fn` on a Store bound to one transaction (same options as `store`): all of it commits, or none. */
  transaction<T>(fn: (store: Store) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Logs go to stderr, so a command's --json output on stdout stays parseable. */
function cliLogger(): Logger {
  return createLogger('warn', process.stderr);
}

/**
 * Loads the configuration: FILE, else $TOLLGATE_CONFIG, else config/tollgate.yaml, else the development
 * defaults. A named file that cannot be read is a ConfigError (exit 78), never a silent fall-back.
 */
export function loadCliConfig(configFile: string | undefined): LoadedConfig {
  return loadConfig({ file: configFile });
}

/** Opens the configured database (migrated unless database.migrate is off) with its Store and change feed. */
export async function openCliStore(configFile: string | undefined): Promise<OpenedStore> {
  const { config } = loadCliConfig(configFile);
  const log = cliLogger();
  const sql = await openDatabase(config, log, { applicationName: 'tollgate cli' });
  try {
    // The daemon's rule: apply pending migrations unless database.migrate is off.
    if (config.database.migrate) {
      const { runMigrations } = await import('../store/migrations.js');
      await runMigrations(sql);
    }
  } catch (err) {
    await sql.close();
    throw err;
  }
  const [{ createStore }, { bulkImportRepository }, { hotCacheChangeFeed }] = await Promise.all([
    import('../store/store.js'),
    import('../store/repositories/bulk-import.js'),
    import('../store/change-feed.js'),
  ]);
  const options = { feeTimeZone: config.fees.timeZone };
  const store = createStore(sql, options);
  const cache = await openCache(config, log);
  return {
    store,
    changes: hotCacheChangeFeed(cache, store.subscribers, { log }),
    bulk: bulkImportRepository(sql, options),
    transaction: (fn) => store.transaction(fn),
    async close() {
      await cache.close();
      await sql.close();
    },
  };
}

/** `tollgate migrate`: applies pending migrations; returns their numbers. */
export async function migrateDatabase(configFile: string | undefined): Promise<readonly number[]> {
  const { config } = loadCliConfig(configFile);
  const sql = await openDatabase(config, cliLogger());
  try {
    const { runMigrations } = await import('../store/migrations.js');
    const { applied } = await runMigrations(sql);
    return applied;
  } finally {
    await sql.close();
  }
}

/**
 * `tollgate config check`: the configuration, the dictionaries (the shipped one, `shippedDictionary`, first) and the
 * vendor profiles, compiled as at start-up.
 */
export async function checkConfig(configFile: string | undefined, shippedDictionary: string): Promise<{ source: string; warnings: readonly string[]; clients: number; users: number; attributes: number }> {
  const { config, source, warnings } = loadCliConfig(configFile);
  const [{ loadConfiguredDictionary }, { VendorProfiles }] = await Promise.all([import('../config/dictionary-files.js'), import('../aaa/vendor-profiles.js')]);
  const dict = loadConfiguredDictionary(config, shippedDictionary);
  VendorProfiles.compile(dict, config.vendors);
  return { source, warnings, clients: config.clients.length, users: config.users.length, attributes: dict.attributeCount };
}

/** A FreeRADIUS rlm_sql database on PostgreSQL, read-only, for `tollgate import freeradius --from URL`. */
export async function openFreeRadiusSource(url: string): Promise<FreeRadiusSource> {
  const [{ createPostgresSql }, { freeRadiusSource }] = await Promise.all([import('../store/postgres.js'), import('../store/repositories/freeradius.js')]);
  return freeRadiusSource(createPostgresSql(url, { max: 1, applicationName: 'tollgate import freeradius' }));
}
