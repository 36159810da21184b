/**
 * Entry: config → app → signals → start. With more than one RADIUS process (`radius.workers`, or
 * by default one per core on PostgreSQL: config/workers.ts) the primary process forks workers that
 * share the RADIUS sockets (node:cluster hands every worker the same UDP socket) and serves the admin
 * listener itself, aggregating the workers' metrics. SIGTERM/SIGINT drain; SIGHUP reloads clients and users.
 *
 * `node dist/src/main.js [--config FILE]` (what `npm start` runs) and `tollgate serve [--config FILE]` both end
 * in main().
 */
import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { clusterCache, hardStopMs, holdRadiusPorts, startApp, type RunningApp } from './app/index.js';
import { ConfigError } from './config/errors.js';
import { loadConfig, type LoadedConfig } from './config/load.js';
import { workerCount, type WorkerCount } from './config/workers.js';
import { createLogger, type Logger } from './observability/logger.js';
import { answerMetricRequests, clusterMetrics, useClusterMessageAuthenticatorCounts } from './observability/cluster-metrics.js';
import { registry, startDefaultMetrics } from './observability/metrics.js';

export const MAIN_USAGE = `usage: node dist/src/main.js [--config FILE]

  -c, --config FILE   the configuration file (else $TOLLGATE_CONFIG, else config/tollgate.yaml,
                      else the built-in development defaults)
  -h, --help          this text
`;

/** The daemon's own arguments; throws a TypeError naming an unknown option or a stray argument. */
export function parseMainArgs(argv: readonly string[]): { config?: string; help: boolean } {
  const { values } = parseArgs({
    args: [...argv],
    options: { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
    allowPositionals: false,
  });
  return { ...(values.config !== undefined ? { config: values.config } : {}), help: values.help === true };
}

type WorkerMessage = { type: 'ready'; ports: RunningApp['ports']; udpIo: RunningApp['udpIo'] } | { type: 'reload-failed'; error: string } | { type: 'journal' };
type PrimaryMessage = { type: 'reload' } | { type: 'shutdown' };

function loadOrExit(configFile?: string): LoadedConfig {
  try {
    return loadConfig({ file: configFile });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}

function installCrashHandlers(log: Logger): void {
  process.on('uncaughtException', (err) => {
    log.fatal({ err }, 'uncaught exception; exiting');
    process.exit(1);
  });
  process.on('unhandledRejection', (err) => {
    log.fatal({ err }, 'unhandled rejection; exiting');
    process.exit(1);
  });
}

/**
 * Drains the app and exits: 0 when it stopped cleanly, 1 otherwise. The stop is bounded component by component
 * (app/lifecycle.ts); this timer is the last resort should something still hold the event loop.
 */
function stopAndExit(app: RunningApp, log: Logger): void {
  const afterMs = hardStopMs(app.config.shutdown.drainTimeoutMs);
  setTimeout(() => {
    log.error({ afterMs }, 'stop did not complete; exiting anyway');
    process.exit(1);
  }, afterMs).unref();
  app.stop().then(
    () => {
      log.info('stopped');
      process.exit(0);
    },
    (err: unknown) => {
      log.error({ err }, 'error while stopping');
      process.exit(1);
    },
  );
}

/** The start-up line's account of the process count: how many, whether set or defaulted, and why. */
export function workersLogFields(workers: WorkerCount): { workers: number; workersSource: WorkerCount['source']; workersReason: string } {
  return { workers: workers.count, workersSource: workers.source, workersReason: workers.reason };
}

async function runSingle(loaded: LoadedConfig, log: Logger, workers: WorkerCount, configFile?: string): Promise<void> {
  startDefaultMetrics();
  const app = await startApp({ loaded, log, reloadConfig: () => loadConfig({ file: configFile }) });
  log.info({ ...workersLogFields(workers), udpIo: app.udpIo, ports: app.ports, source: loaded.source }, 'tollgate started');
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'draining');
    stopAndExit(app, log);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => {
    try {
      app.reload();
    } catch {
      /* logged by reload */
    }
  });
}

async function runPrimary(loaded: LoadedConfig, log: Logger, workers: WorkerCount, configFile?: string): Promise<void> {
  const { config } = loaded;
  const { count } = workers;
  const ready = new Set<number>();
  const started = new Set<number>();
  let stopping = false;
  // Before anything starts: with radius.io batch the workers' SO_REUSEPORT would let a second daemon share the
  // ports silently (transport/port-guard.ts). Held until the process exits.
  await holdRadiusPorts(config.radius.listen, [config.radius.authPort, config.radius.acctPort]);
  startDefaultMetrics();
  // The API's per-NAS Message-Authenticator counts are the workers': they serve the RADIUS.
  useClusterMessageAuthenticatorCounts();
  // The primary owns the admin listener (API + aggregated metrics), prepares the database once, and rates the
  // accounting the workers journal (so a rating pass never holds up a worker's acknowledgements).
  const app = await startApp({
    loaded,
    log,
    radius: false,
    admin: true,
    rate: true,
    cluster: 'primary',
    ready: () => !stopping && ready.size === count,
    metrics: async () => ({ contentType: registry.contentType, body: await clusterMetrics() }),
    ...clusterCache(config),
  });
  const adminPort = app.ports.admin;

  const fork = (): Worker => {
    const w = cluster.fork({ TOLLGATE_WORKER: '1', TOLLGATE_WORKER_GROUP: String(count) });
    w.on('message', (msg: WorkerMessage) => {
      if (msg.type === 'journal') return app.kickRater();
      if (msg.type === 'reload-failed') log.error({ worker: w.id, err: msg.error }, 'worker refused the reload');
      if (msg.type === 'ready') {
        ready.add(w.id);
        started.add(w.id);
        if (ready.size === count) log.info({ ...workersLogFields(workers), udpIo: msg.udpIo, ports: { ...msg.ports, admin: adminPort, portal: app.ports.portal }, source: loaded.source }, 'tollgate started');
      }
    });
    return w;
  };
  for (let i = 0; i < count; i++) fork();
  cluster.on('exit', (w, code, signal) => {
    ready.delete(w.id);
    if (stopping) return;
    if (!started.has(w.id)) {
      // A worker that never came up (port in use, bad dictionary…) would fail again: stop instead of looping.
      log.fatal({ worker: w.id, code, signal }, 'worker failed during start-up; stopping');
      stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.kill('SIGTERM');
      void app.stop().finally(() => process.exit(1));
      return;
    }
    log.error({ worker: w.id, code, signal }, 'worker exited; starting a new one');
    setTimeout(fork, 1000).unref();
  });

  const broadcast = (msg: PrimaryMessage): void => {
    for (const w of Object.values(cluster.workers ?? {})) w?.send(msg);
  };
  process.on('SIGHUP', () => {
    try {
      loadConfig({ file: configFile });
      broadcast({ type: 'reload' });
    } catch (err) {
      log.error({ err: (err as Error).message }, 'reload refused: configuration invalid; workers keep the running one');
    }
  });
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'draining workers');
    broadcast({ type: 'shutdown' });
    const deadline = setTimeout(() => {
      log.warn('workers did not stop in time; killing them');
      for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGKILL');
    }, config.shutdown.drainTimeoutMs + 2000);
    const check = setInterval(() => {
      if (Object.keys(cluster.workers ?? {}).length > 0) return;
      clearInterval(check);
      clearTimeout(deadline);
      stopAndExit(app, log);
    }, 50);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** The worker count the primary forked (TOLLGATE_WORKER_GROUP); 0 when it is missing or not a count. */
export function workerGroup(value: string | undefined): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 && n <= 1024 ? n : 0;
}

async function runWorker(loaded: LoadedConfig, log: Logger, configFile?: string): Promise<void> {
  answerMetricRequests();
  startDefaultMetrics();
  // Journal commits wake the primary's rater: one message per event-loop turn at most.
  let kickQueued = false;
  const kickPrimary = (): void => {
    if (kickQueued) return;
    kickQueued = true;
    setImmediate(() => {
      kickQueued = false;
      process.send?.({ type: 'journal' } satisfies WorkerMessage);
    });
  };
  const app = await startApp({
    loaded,
    log,
    admin: false,
    rate: false,
    onJournalCommitted: kickPrimary,
    sharedSockets: true,
    socketGroup: workerGroup(process.env.TOLLGATE_WORKER_GROUP),
    cluster: 'worker',
    prepareDatabase: false,
    reloadConfig: () => loadConfig({ file: configFile }),
    ...clusterCache(loaded.config),
  });
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    app.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('message', (msg: PrimaryMessage) => {
    if (msg.type === 'shutdown') stop();
    else if (msg.type === 'reload') {
      try {
        app.reload();
      } catch (err) {
        process.send?.({ type: 'reload-failed', error: (err as Error).message } satisfies WorkerMessage);
      }
    }
  });
  // The terminal's Ctrl-C reaches the whole process group: the primary coordinates the drain.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', stop);
  process.on('SIGHUP', () => undefined);
  process.send?.({ type: 'ready', ports: app.ports, udpIo: app.udpIo } satisfies WorkerMessage);
}

export async function main(configFile?: string): Promise<void> {
  const loaded = loadOrExit(configFile);
  const log = createLogger(loaded.config.log.level);
  installCrashHandlers(log);
  if (cluster.isPrimary) for (const w of loaded.warnings) log.warn(w);
  // The workers inherit the primary's environment and configuration file, so they arrive at the same count.
  const workers = workerCount(loaded.config, availableParallelism());
  try {
    if (workers.count <= 1) await runSingle(loaded, log, workers, configFile);
    else if (cluster.isPrimary) await runPrimary(loaded, log, workers, configFile);
    else await runWorker(loaded, log.child({ worker: cluster.worker?.id }), configFile);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    log.fatal({ err }, 'start-up failed');
    process.exit(1);
  }
}

/** `node dist/src/main.js …`: the arguments are checked before anything starts (exit 64 on a bad one). */
export function mainFromArgv(argv: readonly string[]): Promise<void> {
  let args: ReturnType<typeof parseMainArgs>;
  try {
    args = parseMainArgs(argv);
  } catch (err) {
    process.stderr.write(`tollgate: ${(err as Error).message}\n\n${MAIN_USAGE}`);
    process.exit(64); // EX_USAGE
  }
  if (args.help) {
    process.stdout.write(MAIN_USAGE);
    return Promise.resolve();
  }
  return main(args.config);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) void mainFromArgv(process.argv.slice(2));
