/**
 * The composition root: the only module that knows the concrete classes. From a validated config it builds
 * the database (PostgreSQL, or PGlite under the data dir), the hot cache (Redis, or in-process), the
 * dictionary, NAS table, subscriber directory, handlers and listeners, and owns reload and drain.
 *
 * One process runs both roles; with several workers the primary runs the admin role (API, metrics) and each
 * worker the RADIUS role, all sharing PostgreSQL and the change channel.
 */
import type http from 'node:http';
import { join, resolve } from 'node:path';
import { AccessHandler } from './aaa/access-handler.js';
import { AccountingJournal } from './billing/journal.js';
import { AccountingRater } from './billing/rater.js';
import { FeeScheduler } from './billing/fee-scheduler.js';
import { BlockingService } from './coa/blocking.js';
import { CoaClient } from './coa/client.js';
import { AccountingHandler } from './aaa/accounting-handler.js';
import { pruneAuthLog } from './aaa/auth-log-retention.js';
import { AuthLogWriter } from './aaa/auth-log-writer.js';
import { hotCacheChangeFeed, SubscriberDirectory } from './aaa/subscriber-directory.js';
import { ConfigUserDirectory } from './aaa/users.js';
import { VendorProfiles } from './aaa/vendor-profiles.js';
import { loadConfig, type LoadedConfig } from './config/load.js';
import type { Config } from './config/schema.js';
import type { Nas } from './domain/types.js';
import { createApiHandler } from './http/api/index.js';
import { createAdminServer, listen } from './http/admin-server.js';
import { createPortalServer } from './portal/server.js';
import type { Logger } from './observability/logger.js';
import { configReloads, registry, setReadiness, subscriberLookups, subscribersCached } from './observability/metrics.js';
import { shippedDictionary } from './paths.js';
import type { Dictionary } from './radius/dictionary.js';
import { seedDemo } from './store/demo-seed.js';
import { createMemoryCache } from './store/memory-cache.js';
import { runMigrations } from './store/migrations.js';
import { createPGliteSql } from './store/pglite.js';
import type { ChangeEvent, HotCache, Sql, Store } from './domain/ports.js';
import { createPostgresSql } from './store/postgres.js';
import { createRedisCache } from './store/redis-cache.js';
import { createStore } from './store/store.js';
import { NasTable, type NasClientSpec } from './transport/nas-table.js';
import { UdpServer } from './transport/udp-server.js';
import { loadDictionaryFiles } from './config/dictionary-files.js';

export interface AppOptions {
  readonly loaded: LoadedConfig;
  readonly log: Logger;
  /** Re-reads the configuration on reload (SIGHUP); defaults to loadConfig() with the same environment. */
  readonly reloadConfig?: () => LoadedConfig;
  /** Serve RADIUS (false in a cluster primary). */
  readonly radius?: boolean;
  /**
   * Rate journaled accounting in this process (default: when serving RADIUS). A cluster's primary rates for its
   * workers, which then pass `false` and `onJournalCommitted` to wake it.
   */
  readonly rate?: boolean;
  /** Called after each journal commit when this process does not rate (the worker → primary wake-up). */
  readonly onJournalCommitted?: () => void;
  /** Serve the admin listener (false in cluster workers). */
  readonly admin?: boolean;
  /** Metrics for the admin listener; defaults to this process's registry (the primary passes the aggregate). */
  readonly metrics?: () => Promise<{ contentType: string; body: string }>;
  /** Sockets shared by node:cluster workers. */
  readonly sharedSockets?: boolean;
  /** A HotCache to use instead of building one (cluster workers without Redis relay through the primary). */
  readonly cache?: HotCache;
  /** Apply migrations and seed (the primary does it once before forking workers). */
  readonly prepareDatabase?: boolean;
  /** An extra readiness condition for /readyz (the primary: every worker is up). */
  readonly ready?: () => boolean;
  /** A database connection to use instead of opening one from the config (tests); the app closes it on stop. */
  readonly sql?: Sql;
}

export interface RunningApp {
  readonly ports: { readonly auth: number; readonly acct: number; readonly admin: number; readonly portal: number };
  readonly config: Config;
  readonly dictionary: Dictionary;
  readonly store: Store;
  readonly cache: HotCache;
  readonly subscribers: SubscriberDirectory | undefined;
  isReady(): boolean;
  /** Waits until every accounting record journaled so far is rated (tests, benchmarks); no-op without a rater. */
  drainAccounting(timeoutMs?: number): Promise<void>;
  /** Wakes this process's rater (journal rows were committed elsewhere); no-op without a rater. */
  kickRater(): void;
  /** Re-reads clients and static users; on error keeps the running ones and rethrows. */
  reload(): void;
  stop(): Promise<void>;
}

export function loadDictionary(config: Config, cwd = process.cwd()): Dictionary {
  return loadDictionaryFiles([shippedDictionary(), ...config.radius.dictionaries.map((f) => resolve(cwd, f))]);
}

/** NAS clients from the config file and from the database; a database entry for the same address wins. */
export function buildNasTable(config: Config, fromDatabase: readonly Nas[] = []): NasTable {
  const byAddress = new Map<string, NasClientSpec>();
  for (const c of config.clients) byAddress.set(c.address, c);
  for (const n of fromDatabase) byAddress.set(n.address, n);
  return new NasTable([...byAddress.values()], {
    requireMessageAuthenticator: config.radius.requireMessageAuthenticator,
    limitProxyState: config.radius.limitProxyState,
  });
}

export async function openDatabase(config: Config, log: Logger): Promise<Sql> {
  if (config.database.url) return createPostgresSql(config.database.url, { max: config.database.poolSize });
  const dir = join(resolve(config.dataDir), 'pglite');
  log.info({ dir }, 'using the embedded database (PGlite); set database.url for PostgreSQL');
  return createPGliteSql(dir);
}

export function openCache(config: Config, log: Logger): HotCache {
  if (!config.redis.url) return createMemoryCache();
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

export async function startApp(options: AppOptions): Promise<RunningApp> {
  const { log } = options;
  let config = options.loaded.config;
  const serveRadius = options.radius !== false;
  const dictionary = loadDictionary(config);
  const profiles = VendorProfiles.compile(dictionary, config.vendors);
  log.info({ attributes: dictionary.attributeCount }, 'dictionary loaded');

  const sql = options.sql ?? (await openDatabase(config, log));
  if (options.prepareDatabase !== false) {
    if (config.database.migrate) {
      const { applied } = await runMigrations(sql, log);
      if (applied.length > 0) log.info({ applied }, 'database migrations applied');
    }
    if (sql.kind === 'pglite' && config.demo.seed) {
      const seeded = await seedDemo(sql);
      if (seeded) log.info(seeded, 'empty embedded database: seeded the demo tariff and subscribers');
    }
  }
  const store = createStore(sql, { feeTimeZone: config.fees.timeZone });
  const cache = options.cache ?? openCache(config, log);
  const changes = hotCacheChangeFeed(cache, store.subscribers);

  let udp: UdpServer | null = null;
  let journal: AccountingJournal | null = null;
  let rater: AccountingRater | null = null;
  // RFC 5176 client: blocking/restoring live sessions (RADIUS role) and the API's disconnect (admin role).
  const coa = new CoaClient({ sql, log });
  await coa.start();
  let reconcileTimer: NodeJS.Timeout | null = null;
  let authLog: AuthLogWriter | null = null;
  let subscribers: SubscriberDirectory | undefined;
  let nasRows = await store.nas.list();
  let lookupTimer: NodeJS.Timeout | null = null;
  // The rater: journaled accounting → sessions, charges, balances. An account whose state changed (blocked, or
  // active again) is announced on the change feed so every instance's next Access-Request sees it.
  if (options.rate ?? serveRadius) {
    rater = new AccountingRater(
      sql,
      {
        maxRecords: sql.kind === 'pglite' ? Math.min(config.accounting.rateBatch, 1000) : config.accounting.rateBatch,
        pollIntervalMs: config.accounting.ratePollMs,
        minIntervalMs: config.accounting.rateIntervalMs,
        rules: {
          maxClockSkewSeconds: config.accounting.maxClockSkewSeconds,
          maxRateBitsPerSecond: config.accounting.maxRateBitsPerSecond,
          maxSessionSeconds: config.accounting.maxSessionSeconds,
        },
      },
      log,
      (changed) => {
        for (const c of changed) {
          changes.publish({ kind: 'account', id: c.accountId }).catch((err: unknown) => {
            log.error({ err, accountId: c.accountId }, 'account change not published; other instances may serve stale state');
          });
        }
      },
    );
    rater.start();
  }
  let swapStaticUsers: ((next: Config) => void) | null = null;
  let swapNasTable: ((next: NasTable) => void) | null = null;

  if (serveRadius) {
    subscribers = new SubscriberDirectory(
      store.subscribers,
      cache,
      { maxEntries: config.subscribers.maxCached, negativeTtlSeconds: config.subscribers.negativeTtlSeconds, sharedTtlSeconds: config.subscribers.sharedTtlSeconds },
      log,
    );
    const warmed = await subscribers.warm();
    log.info(warmed, 'subscriber snapshots loaded');
    if (config.authLog.enabled) {
      authLog = new AuthLogWriter(store.authLog, config.authLog, log);
      authLog.start();
    }
    const writer = authLog;
    const access = new AccessHandler({
      staticUsers: new ConfigUserDirectory(config.users, dictionary),
      subscribers,
      profiles,
      authLog: writer ? (entry) => writer.add(entry) : undefined,
      activeSessions: (username) => store.sessions.countActive(username),
      log,
    });
    // Accounting is acknowledged once journaled; the rater (here, or the cluster's primary) rates it right after.
    const wakeRater = rater ? rater.kick.bind(rater) : (options.onJournalCommitted ?? (() => {}));
    journal = new AccountingJournal(sql, { maxBatch: config.accounting.maxBatch, maxInFlight: config.accounting.maxInFlight }, log, wakeRater);
    const accounting = new AccountingHandler(journal, log);
    let nasTable = buildNasTable(config, nasRows);
    const server = new UdpServer(
      nasTable,
      { access: (ctx) => access.handle(ctx), accounting: (ctx) => accounting.handle(ctx) },
      { ...config.radius, shared: options.sharedSockets ?? false },
      log,
    );
    udp = server;
    swapNasTable = (next) => {
      nasTable = next;
      server.setNasTable(next);
    };
    // Blocking and restoring live sessions when an account's state changes (RFC 5176 CoA / Disconnect).
    const blocking = new BlockingService({
      sql,
      subscribers: store.subscribers,
      profiles,
      coa,
      nasByName: (name) => nasTable.clients.find((c) => c.name === name),
      log,
    });
    const reconcile = (ids: number[] | null): void => {
      blocking.reconcile(ids).catch((err: unknown) => log.error({ err }, 'CoA reconciliation failed; retrying on the next pass'));
    };
    const reloadNas = (): void => {
      store.nas.list().then(
        (rows) => {
          nasRows = rows;
          swapNasTable?.(buildNasTable(config, rows));
          log.info({ clients: rows.length }, 'NAS clients reloaded from the database');
        },
        (err: unknown) => log.error({ err }, 'could not reload NAS clients; keeping the running table'),
      );
    };
    await subscribers.follow(
      (event: ChangeEvent) => {
        if (event.kind === 'account') reconcile([event.id]);
        if (event.kind === 'nas') reloadNas();
      },
      // The change channel was down (Redis away): snapshots are reloaded; NAS clients and CoA state too.
      () => {
        reloadNas();
        reconcile(null);
      },
    );
    // Events can be missed (an instance restarting, Redis away): a periodic pass catches up.
    reconcileTimer = setInterval(() => reconcile(null), 60_000);
    reconcileTimer.unref();
    await server.start();
    const dir = subscribers;
    lookupTimer = setInterval(() => {
      const c = dir.counters();
      subscriberLookups.labels('memory').set(c.memoryHits);
      subscriberLookups.labels('shared').set(c.sharedHits);
      subscriberLookups.labels('database').set(c.databaseLoads);
      subscribersCached.set(dir.size);
    }, 1000);
    lookupTimer.unref();
    swapStaticUsers = (next) => access.setStaticUsers(new ConfigUserDirectory(next.users, dictionary));
  }
  let ready = true;
  setReadiness(() => ready && (options.ready?.() ?? true));

  let adminServer: http.Server | null = null;
  let adminPort = 0;
  let portalServer: http.Server | null = null;
  let portalPort = 0;
  let creditSweep: NodeJS.Timeout | null = null;
  let fees: FeeScheduler | null = null;
  if (options.admin !== false) {
    if (config.fees.enabled) {
      // Daily fees: exactly once per (subscription, day) by the database's unique key, whichever instance runs.
      fees = new FeeScheduler(sql, { timeZone: config.fees.timeZone, intervalMs: config.fees.intervalMinutes * 60_000 }, log, (changed) => {
        for (const c of changed) {
          changes.publish({ kind: 'account', id: c.accountId }).catch((err: unknown) => log.error({ err }, 'account change not published'));
        }
      });
      fees.start();
    }
    // Housekeeping once a minute, idempotent so every instance may run it. Temporary credits that expired may
    // block an account: re-derive and tell every instance.
    creditSweep = setInterval(() => {
      // The auth log grows by one row per Access-Request: keep authLog.retentionDays of it.
      pruneAuthLog(store.authLog, { retentionDays: config.authLog.retentionDays }).then(
        (deleted) => {
          if (deleted > 0) log.info({ deleted, retentionDays: config.authLog.retentionDays }, 'auth log entries past retention deleted');
        },
        (err: unknown) => log.error({ err }, 'auth log retention pass failed; retrying next minute'),
      );
      store.ledger.expireCredits().then(
        async (changed) => {
          for (const id of changed) await changes.publish({ kind: 'account', id });
          if (changed.length > 0) log.info({ accounts: changed.length }, 'temporary credits expired; account states re-derived');
        },
        (err: unknown) => log.error({ err }, 'credit expiry sweep failed; retrying next minute'),
      );
      // Sessions whose Stop was lost would block Simultaneous-Use for ever: close those silent too long — unless
      // rating is behind (journal rows older than a minute), when their Interims may be waiting in the journal.
      sql
        .query<{ behind: boolean }>(`SELECT EXISTS (SELECT 1 FROM accounting_journal WHERE received_at < now() - interval '60 seconds') AS behind`)
        .then((r) => (r[0]?.behind === true ? -1 : store.sessions.closeStale(config.sessions.staleAfterSeconds)))
        .then(
        (closed) => {
          if (closed > 0) log.info({ closed }, 'stale sessions closed');
          if (closed < 0) log.warn('accounting rating is behind; stale-session sweep skipped');
        },
        (err: unknown) => log.error({ err }, 'stale session sweep failed; retrying next minute'),
      );
    }, 60_000);
    creditSweep.unref();
    const api = createApiHandler({ store, changes, token: config.admin.token, log, coa, widget: { secret: config.portal.widgetSecret, ttlSeconds: config.portal.widgetTokenTtlSeconds } });
    adminServer = createAdminServer({
      log,
      ready: () => ready && (options.ready?.() ?? true),
      metrics: options.metrics ?? (async () => ({ contentType: registry.contentType, body: await registry.metrics() })),
      api,
    });
    adminPort = await listen(adminServer, config.admin.port, config.admin.listen);
    log.info({ address: config.admin.listen, port: adminPort, api: config.admin.token ? 'enabled' : 'disabled (no admin.token)' }, 'admin listener ready');
    // The captive portal (subscribers) and billing widget on a listener of their own, apart from the admin API.
    portalServer = createPortalServer({ config: config.portal, timeZone: config.fees.timeZone, store, changes, log });
    portalPort = await listen(portalServer, config.portal.port, config.portal.listen);
    log.info({ address: config.portal.listen, port: portalPort, widget: config.portal.widgetSecret ? 'enabled' : 'disabled (no portal.widgetSecret)' }, 'portal listener ready');
  }

  const reloadConfig = options.reloadConfig ?? (() => loadConfig());
  const ports = udp ? udp.ports() : { auth: 0, acct: 0 };
  return {
    ports: { ...ports, admin: adminPort, portal: portalPort },
    get config() {
      return config;
    },
    dictionary,
    store,
    cache,
    subscribers,
    isReady: () => ready,
    drainAccounting: async (timeoutMs) => {
      await rater?.drain(timeoutMs);
    },
    kickRater: () => rater?.kick(),
    reload() {
      try {
        const next = reloadConfig();
        const nas = buildNasTable(next.config, nasRows);
        swapStaticUsers?.(next.config);
        swapNasTable?.(nas);
        config = next.config;
        configReloads.labels('ok').inc();
        log.info({ clients: nas.clients.length, users: next.config.users.length }, 'clients and users reloaded');
      } catch (err) {
        configReloads.labels('error').inc();
        log.error({ err: (err as Error).message }, 'reload failed; keeping the running clients and users');
        throw err;
      }
    },
    async stop() {
      ready = false;
      if (lookupTimer) clearInterval(lookupTimer);
      if (creditSweep) clearInterval(creditSweep);
      await fees?.stop();
      if (reconcileTimer) clearInterval(reconcileTimer);
      if (udp) await udp.stop(config.shutdown.drainTimeoutMs);
      await journal?.stop();
      // Rate what this instance acknowledged, within the drain deadline; the rest waits in the journal for the
      // next rater (another instance, or this one after a restart).
      if (rater) {
        await rater.drain(config.shutdown.drainTimeoutMs).catch((err: unknown) => log.warn({ err }, 'accounting journal not fully rated before exit; it will be on the next start'));
        await rater.stop();
      }
      await coa.stop();
      await authLog?.stop();
      if (portalServer) {
        const server = portalServer;
        await new Promise<void>((r) => server.close(() => r()));
        server.closeAllConnections();
      }
      if (adminServer) {
        const server = adminServer;
        await new Promise<void>((r) => server.close(() => r()));
        server.closeAllConnections();
      }
      if (!options.cache) await cache.close();
      await sql.close();
    },
  };
}
