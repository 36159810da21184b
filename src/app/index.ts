/**
 * The composition root: the only module that knows the concrete classes. From a validated config it builds
 * the database and hot cache (./database.ts), then starts the roles in order on one lifecycle list
 * (./lifecycle.ts), which stops them in reverse: the sweeps, RADIUS (its listener drains, then the journal),
 * the rater, the HTTP listeners, CoA, and the cache and database last. It only composes: the work is in the
 * role modules (./radius.ts, ./rating.ts, ./admin.ts, ./portal.ts, ./housekeeping.ts).
 *
 * One process runs both roles; with several workers the primary runs the admin role (API, metrics) and each
 * worker the RADIUS role, all sharing PostgreSQL and the change channel.
 */
import type { SubscriberDirectory } from '../aaa/subscriber-directory.js';
import { hotCacheChangeFeed } from '../store/change-feed.js';
import { VendorProfiles } from '../aaa/vendor-profiles.js';
import { CoaClient } from '../coa/client.js';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { HotCache, Store } from '../domain/ports.js';
import type { Sql } from '../store/sql.js';
import type { Logger } from '../observability/logger.js';
import { configReloads, setReadiness } from '../observability/metrics.js';
import type { Dictionary } from '../radius/dictionary.js';
import { adminListener } from './admin.js';
import { installPrimaryCoaRelay, installWorkerCoaRelay } from './cluster-coa.js';
import type { AppContext } from './context.js';
import { cacheComponent, openCache, openStore } from './database.js';
import { startHousekeeping } from './housekeeping.js';
import { Lifecycle, stopBounds } from './lifecycle.js';
import { portalListener } from './portal.js';
import { buildNasTable, loadDictionary, startRadius, type RadiusRole } from './radius.js';
import { startFees, startRater, type Rating } from './rating.js';
import { createTraces } from './trace.js';

export { clusterCache, openCache, openDatabase, openStore } from './database.js';
export { hardStopMs } from './lifecycle.js';
export { buildNasTable, loadDictionary } from './radius.js';
export { holdRadiusPorts } from '../transport/port-guard.js';

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
  /** How many workers share them (the primary's worker count). */
  readonly socketGroup?: number;
  /** A HotCache to use instead of building one (cluster workers without Redis relay through the primary). */
  readonly cache?: HotCache;
  /** Apply migrations and seed (the primary does it once before forking workers). */
  readonly prepareDatabase?: boolean;
  /** An extra readiness condition for /readyz (the primary: every worker is up). */
  readonly ready?: () => boolean;
  /** A database connection to use instead of opening one from the config (tests); the app closes it on stop. */
  readonly sql?: Sql;
  /**
   * This process's place in a node:cluster: CoA to a NAS whose RadSec connection another process holds is sent
   * by that process (./cluster-coa.ts). Unset: a single process.
   */
  readonly cluster?: 'primary' | 'worker';
}

export interface RunningApp {
  /** The UDP I/O path of the RADIUS listeners (null when this process serves no RADIUS). */
  readonly udpIo: 'batch' | 'dgram' | null;
  readonly ports: { readonly auth: number; readonly acct: number; readonly radsec: number; readonly tcp: number; readonly admin: number; readonly portal: number };
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
  /** Writes when each NAS was last seen now instead of at the next 30 s tick (tests); no-op without RADIUS. */
  flushNasLastSeen(): Promise<void>;
  /** Re-reads clients and static users; on error keeps the running ones and rethrows. */
  reload(): void;
  /** Stops every component in reverse start order, within shutdown.drainTimeoutMs each (see ./lifecycle.ts). */
  stop(): Promise<void>;
}

export async function startApp(options: AppOptions): Promise<RunningApp> {
  const { log } = options;
  let config = options.loaded.config;
  const serveRadius = options.radius !== false;
  const serveAdmin = options.admin !== false;
  const dictionary = loadDictionary(config);
  const profiles = VendorProfiles.compile(dictionary, config.vendors);
  log.info({ attributes: dictionary.attributeCount }, 'dictionary loaded');

  const life = new Lifecycle(log, () => stopBounds(config.shutdown.drainTimeoutMs));
  let ready = false;
  const isReady = (): boolean => ready && (options.ready?.() ?? true);
  setReadiness(isReady);

  return life.build(async () => {
    const db = await life.start(await openStore(config, log, { sql: options.sql, prepare: options.prepareDatabase !== false }));
    const { cache } = await life.start(cacheComponent(options.cache ?? (await openCache(config, log)), !options.cache));
    const coa = new CoaClient({ audit: db.store.coa, log });
    // Only RadSec connections carry CoA: without RadSec every process sends over UDP, with no round trip to ask.
    const { certFile, keyFile, caFile } = config.radius.radsec;
    if (certFile && keyFile && caFile) {
      if (options.cluster === 'primary') installPrimaryCoaRelay(coa, log);
      if (options.cluster === 'worker') installWorkerCoaRelay(coa, log);
    }
    await life.start({ name: 'coa', start: () => coa.start(), stop: () => coa.stop() });
    const ctx: AppContext = {
      config: () => config,
      log,
      life,
      dictionary,
      profiles,
      store: db.store,
      databaseKind: db.sql.kind,
      cache,
      changes: hotCacheChangeFeed(cache, db.store.subscribers, { log }),
      coa,
    };

    // The HTTP listeners are registered here, before RADIUS, so that they stop after it (the API answers and
    // /readyz says 503 throughout the RADIUS drain), and opened at the end, once RADIUS follows the change feed.
    // Live traces: the hub where the API runs, a tap where RADIUS is served (./trace.ts). The hub is registered
    // after the admin listener so that it stops first: its event streams end before the listener drains.
    const traces = createTraces(ctx, { admin: serveAdmin, radius: serveRadius, cluster: options.cluster });
    const admin = serveAdmin ? await adminListener(ctx, { ready: isReady, metrics: options.metrics, traces: traces.hub }) : null;
    await traces.register();
    const portal = serveAdmin ? await portalListener(ctx) : null;
    // Before RADIUS, so that it stops after the journal flushed: it rates what the journal acknowledged.
    const rating: Rating | null = (options.rate ?? serveRadius) ? await startRater(ctx) : null;
    let radius: RadiusRole | null = null;
    if (serveRadius) {
      radius = await startRadius(ctx, {
        wakeRater: rating ? () => rating.kick() : (options.onJournalCommitted ?? (() => {})),
        sharedSockets: options.sharedSockets ?? false,
        socketGroup: options.socketGroup ?? 0,
        trace: traces.tap,
      });
    }
    if (serveAdmin) {
      if (config.fees.enabled) await startFees(ctx);
      await startHousekeeping(ctx);
    }
    const ports = { ...(radius ? radius.ports() : { auth: 0, acct: 0, radsec: 0, tcp: 0 }), admin: (await admin?.listen()) ?? 0, portal: (await portal?.listen()) ?? 0 };
    // Last started, first stopped: readiness drops before anything else stops.
    await life.start({
      name: 'readiness',
      start: () => void (ready = true),
      stop: () => void (ready = false),
    });

    const reloadConfig = options.reloadConfig ?? (() => loadConfig());
    const running: RunningApp = {
      ports,
      udpIo: radius ? radius.udpIo() : null,
      get config() {
        return config;
      },
      dictionary,
      store: db.store,
      cache,
      subscribers: radius?.subscribers,
      isReady: () => ready,
      drainAccounting: async (timeoutMs) => {
        await rating?.drain(timeoutMs);
      },
      kickRater: () => rating?.kick(),
      flushNasLastSeen: async () => {
        await radius?.flushLastSeen();
      },
      reload() {
        try {
          const next = reloadConfig();
          const clients = radius ? radius.reload(next.config) : buildNasTable(next.config).clients.length;
          config = next.config;
          configReloads.labels('ok').inc();
          log.info({ clients, users: next.config.users.length }, 'clients and users reloaded');
        } catch (err) {
          configReloads.labels('error').inc();
          log.error({ err: (err as Error).message }, 'reload failed; keeping the running clients and users');
          throw err;
        }
      },
      stop: () => life.stop(),
    };
    return running;
  });
}
