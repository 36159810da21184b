/**
 * The RADIUS role: dictionary, NAS table, subscriber directory, the access and accounting handlers, the UDP
 * listener and the stream listeners (RadSec, RADIUS/TCP) on the same handlers, the auth-log writer, the
 * accounting journal, and the blocking service that follows account changes with CoA/Disconnect.
 */
import { AccessHandler } from '../aaa/access-handler.js';
import { AccountingHandler } from '../aaa/accounting-handler.js';
import { AuthLogWriter } from '../aaa/auth-log-writer.js';
import { OpenSessions } from '../aaa/open-sessions.js';
import { staleLimits, type StaleNas } from '../aaa/stale-limits.js';
import { SubscriberDirectory } from '../aaa/subscriber-directory.js';
import { ConfigUserDirectory } from '../aaa/users.js';
import { AccountingJournal } from '../billing/journal.js';
import { BlockingService } from '../coa/blocking.js';
import { hotCacheSnapshots } from '../store/change-feed.js';
import { loadConfiguredDictionary } from '../config/dictionary-files.js';
import type { Config } from '../config/schema.js';
import type { StaleLimits } from '../domain/ports.js';
import type { Nas } from '../domain/types.js';
import { setOpenSessionsTracked, setSubscriberCacheStats } from '../observability/metrics.js';
import { shippedDictionary } from './paths.js';
import type { Dictionary } from '../radius/dictionary.js';
import { MessageAuthenticatorWatch } from '../transport/message-authenticator.js';
import { NasLastSeen } from '../transport/nas-last-seen.js';
import { NasTable, type NasClientSpec, type NasTableOptions } from '../transport/nas-table.js';
import { StreamServer, type StreamTlsFiles } from '../transport/stream-server.js';
import type { TraceTap } from '../transport/trace-tap.js';
import { UdpServer } from '../transport/udp-server.js';
import type { AppContext } from './context.js';

/**
 * The shipped dictionary and radius.dictionaries. A file that is missing or does not parse is a configuration
 * error (exit 78), named with its line.
 */
export function loadDictionary(config: Config, cwd = process.cwd()): Dictionary {
  return loadConfiguredDictionary(config, shippedDictionary(), cwd);
}

/**
 * NAS clients from the config file and from the database; a database entry for the same address wins.
 * `configSeen`: the addresses of config-file clients whose Message-Authenticator sighting is stored (auto).
 */
export function buildNasTable(config: Config, fromDatabase: readonly Nas[] = [], configSeen: ReadonlySet<string> = new Set(), options: NasTableOptions = {}): NasTable {
  const byAddress = new Map<string, NasClientSpec>();
  for (const c of config.clients) byAddress.set(c.address, { ...c, messageAuthenticatorSeen: configSeen.has(c.address) });
  for (const n of fromDatabase) byAddress.set(n.address, { ...n, tlsName: n.tlsName ?? undefined, messageAuthenticatorSeen: n.messageAuthenticatorSeenAt !== null });
  return new NasTable(
    [...byAddress.values()],
    {
      requireMessageAuthenticator: config.radius.requireMessageAuthenticator,
      limitProxyState: config.radius.limitProxyState,
    },
    options,
  );
}

export interface RadiusOptions {
  /** Wakes the rater after each journal commit (this process's, or the cluster primary's). */
  readonly wakeRater: () => void;
  /** Sockets shared by node:cluster workers. */
  readonly sharedSockets: boolean;
  /** Workers sharing the sockets (0 when not shared). */
  readonly socketGroup?: number;
  /** The live-trace tap of this process (./trace.ts): attached to the request path every listener shares. */
  readonly trace?: TraceTap | null;
}

/** RadSec's certificate files, when all three are configured (RadSec is off otherwise). */
function radsecFiles(config: Config): StreamTlsFiles | null {
  const { certFile, keyFile, caFile } = config.radius.radsec;
  return certFile && keyFile && caFile ? { certFile, keyFile, caFile } : null;
}

export interface RadiusRole {
  readonly subscribers: SubscriberDirectory;
  /** Bound ports; radsec and tcp are 0 when that listener is off. */
  ports(): { auth: number; acct: number; radsec: number; tcp: number };
  /** The UDP I/O path in use (radius.io resolved: batch or dgram). */
  udpIo(): 'batch' | 'dgram';
  /**
   * Checks `next` (the NAS table it builds, RadSec's certificate files) and swaps clients, static users and
   * RadSec's certificates (new handshakes use them; established connections stay); returns the client count.
   */
  reload(next: Config): number;
  /** Writes the NAS last-seen times now (tests; otherwise every 30 s and at stop). */
  flushLastSeen(): Promise<void>;
}

/** Builds and starts the RADIUS role's components on `ctx.life`. */
export async function startRadius(ctx: AppContext, options: RadiusOptions): Promise<RadiusRole> {
  const { life, log, store, dictionary } = ctx;
  const config = ctx.config();

  const subscribers = new SubscriberDirectory(
    store.subscribers,
    hotCacheSnapshots(ctx.cache),
    { maxEntries: config.subscribers.maxCached, negativeTtlSeconds: config.subscribers.negativeTtlSeconds, sharedTtlSeconds: config.subscribers.sharedTtlSeconds },
    log,
  );
  let unregisterStats = (): void => undefined;
  await life.start({
    name: 'subscribers',
    async start() {
      const warmed = await subscribers.warm();
      log.info(warmed, 'subscriber snapshots loaded');
      // Read at scrape time: no poll copying counters into gauges.
      unregisterStats = setSubscriberCacheStats(() => ({ ...subscribers.counters(), cached: subscribers.size }));
    },
    stop: () => unregisterStats(),
  });

  // Simultaneous-Use counts in memory, kept by the rater's session events; it follows the feed before it loads.
  // The stale limits follow the configuration and the NAS (the NAS table's clients once it is built; both are
  // swapped whole on a change, so they are computed once per pair).
  let nasRows = await store.nas.list();
  let staleNas: readonly StaleNas[] = [...config.clients, ...nasRows];
  let limitsFor: { config: Config; nas: readonly StaleNas[]; limits: StaleLimits } | null = null;
  const currentStaleLimits = (): StaleLimits => {
    const now = ctx.config();
    if (limitsFor?.config !== now || limitsFor.nas !== staleNas) limitsFor = { config: now, nas: staleNas, limits: staleLimits(now, staleNas) };
    return limitsFor.limits;
  };
  const openSessions = new OpenSessions(store.sessions, { staleLimits: currentStaleLimits }, log);
  let unregisterOpen = (): void => undefined;
  await life.start({
    name: 'open-sessions',
    async start() {
      await openSessions.follow(ctx.changes);
      log.info(await openSessions.load(), 'open sessions loaded');
      unregisterOpen = setOpenSessionsTracked(() => openSessions.size);
    },
    stop() {
      unregisterOpen();
      openSessions.stop();
    },
  });

  const authLog = config.authLog.enabled ? new AuthLogWriter(store.authLog, config.authLog, log) : null;
  if (authLog) await life.start({ name: 'auth-log', start: () => authLog.start(), stop: () => authLog.stop() });

  const access = new AccessHandler({
    staticUsers: new ConfigUserDirectory(config.users, dictionary),
    subscribers,
    profiles: ctx.profiles,
    authLog: authLog ? (entry) => authLog.add(entry) : undefined,
    sessionLimit: openSessions,
    log,
  });
  // Accounting is acknowledged once journaled; the rater (here, or the cluster's primary) rates it right after.
  const journal = new AccountingJournal(store.accountingJournal, { maxBatch: config.accounting.maxBatch, maxInFlight: config.accounting.maxInFlight }, log, options.wakeRater);
  await life.start({ name: 'journal', stop: () => journal.stop() });
  const accounting = new AccountingHandler(journal, log);

  // auto clients: the first sighting is stored off the reply path; the change event makes every instance reload.
  const watch = new MessageAuthenticatorWatch(async (client) => {
    const first = client.id === undefined
      ? await store.nas.configClientMessageAuthenticatorSeen(client.address, client.name)
      : await store.nas.messageAuthenticatorSeen(client.id);
    if (first) await ctx.changes.publish({ kind: 'nas' }).catch((err: unknown) => log.warn({ err }, 'NAS change not published; other instances learn of the Message-Authenticator on their own'));
    return first;
  }, log);
  await life.start({ name: 'message-authenticator', stop: () => watch.stop() });
  let configSeen = await store.nas.configClientsWithMessageAuthenticator();
  let nasTable = buildNasTable(config, nasRows, configSeen, { watch });
  staleNas = nasTable.clients;
  const server = new UdpServer(
    nasTable,
    { access: (ctx) => access.handle(ctx), accounting: (ctx) => accounting.handle(ctx) },
    { ...config.radius, shared: options.sharedSockets, groupSize: options.socketGroup ?? 0 },
    log,
  );
  options.trace?.attach(server.path);
  const tlsFiles = radsecFiles(config);
  const { listen } = config.radius;
  const streams: { radsec: StreamServer | null; tcp: StreamServer | null } = {
    radsec: tlsFiles ? new StreamServer(nasTable, server.path, { transport: 'radsec', listen, ...config.radius.radsec, tls: tlsFiles }, log) : null,
    tcp:
      config.radius.tcp.port !== undefined
        ? new StreamServer(nasTable, server.path, { transport: 'tcp', listen, ...config.radius.tcp, port: config.radius.tcp.port }, log)
        : null,
  };
  // CoA and Disconnect go down a NAS's open RadSec connection when it has one (RFC 6614 §2.5), else over UDP.
  // With several workers only the worker holding the connection sees it (docs/operations.md, CoA over RadSec).
  ctx.coa.setStreamLinks(streams.radsec);
  // When each client was last seen: kept on the clients, written every 30 s (the console's NAS status).
  const lastSeen = new NasLastSeen(() => nasTable.clients, (sightings) => store.console.recordNasSightings(sightings), log);
  await life.start({ name: 'nas-last-seen', start: () => lastSeen.start(), stop: () => lastSeen.stop() });
  const swapNasTable = (next: NasTable): void => {
    lastSeen.retire(nasTable.clients);
    nasTable = next;
    staleNas = next.clients;
    server.setNasTable(next);
    streams.radsec?.setNasTable(next);
    streams.tcp?.setNasTable(next);
  };

  // Blocking and restoring live sessions when an account's state changes (RFC 5176 CoA / Disconnect).
  const blocking = new BlockingService({
    coaState: store.coa,
    subscribers: store.subscribers,
    profiles: ctx.profiles,
    coa: ctx.coa,
    nasByName: (name) => nasTable.clients.find((c) => c.name === name),
    log,
  });
  const reloadNas = (): void => {
    Promise.all([store.nas.list(), store.nas.configClientsWithMessageAuthenticator()]).then(
      ([rows, seen]) => {
        nasRows = rows;
        configSeen = seen;
        swapNasTable(buildNasTable(ctx.config(), rows, seen, { watch }));
        log.info({ clients: rows.length }, 'NAS clients reloaded from the database');
      },
      (err: unknown) => log.error({ err }, 'could not reload NAS clients; keeping the running table'),
    );
  };
  let reconcileTimer: NodeJS.Timeout | null = null;
  await life.start({
    name: 'blocking',
    async start() {
      // Each follows the change feed; after the feed was down (Redis away) each reloads what it holds.
      await subscribers.follow(ctx.changes);
      await blocking.follow(ctx.changes);
      ctx.changes.onResync(reloadNas);
      await ctx.changes.subscribe((event) => {
        if (event.kind === 'nas') reloadNas();
      });
      // Events can be missed (an instance restarting, Redis away): a periodic pass catches up.
      reconcileTimer = setInterval(() => blocking.reconcileQuietly(null), 60_000);
      reconcileTimer.unref();
    },
    // CoA gives up what still waits for a NAS (it is shared with the admin API, whose disconnects then answer
    // 503: the instance is stopping), so the running passes end at once and release what was not acknowledged
    // while the database is still open. The client's own place later in the list then finds nothing to stop.
    async stop() {
      if (reconcileTimer) clearInterval(reconcileTimer);
      await ctx.coa.stop();
      await blocking.stop();
    },
  });

  // Stopped first of the role: new datagrams and connections are refused, the requests in flight get their
  // replies within the budget (each listener drains its own at the same time: one budget, not one each).
  const listeners = [server, streams.radsec, streams.tcp].filter((l) => l !== null);
  await life.start({
    name: 'radius',
    async start() {
      const started: typeof listeners = [];
      try {
        for (const l of listeners) {
          await l.start();
          started.push(l);
        }
      } catch (err) {
        // The lifecycle stops only the components started before this one: close the listeners bound so far.
        await Promise.all(started.map((l) => l.stop(0)));
        throw err;
      }
    },
    stop: async (budgetMs) => {
      await Promise.all(listeners.map((l) => l.stop(budgetMs)));
    },
  });

  return {
    subscribers,
    ports: () => ({ ...server.ports(), radsec: streams.radsec?.port() ?? 0, tcp: streams.tcp?.port() ?? 0 }),
    udpIo: () => server.io(),
    flushLastSeen: () => lastSeen.flush(),
    reload(next) {
      const table = buildNasTable(next, nasRows, configSeen, { watch });
      const files = radsecFiles(next);
      if (streams.radsec && files) streams.radsec.reloadCertificates(files);
      else if (files || streams.radsec) log.warn('turning RadSec on or off takes a restart; the listener is as it was started');
      access.setStaticUsers(new ConfigUserDirectory(next.users, dictionary));
      swapNasTable(table);
      return table.clients.length;
    },
  };
}
