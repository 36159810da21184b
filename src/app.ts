/**
 * The composition root: the only module that knows the concrete classes. Builds the dictionary, NAS table,
 * user directory, handlers and listeners from a validated config, and owns reload and drain.
 */
import type http from 'node:http';
import { resolve } from 'node:path';
import { AccessHandler } from './aaa/access-handler.js';
import { AccountingHandler } from './aaa/accounting-handler.js';
import { ConfigUserDirectory } from './aaa/users.js';
import { loadConfig, type LoadedConfig } from './config/load.js';
import type { Config } from './config/schema.js';
import { createAdminServer, listen } from './http/admin-server.js';
import type { Logger } from './observability/logger.js';
import { configReloads, registry } from './observability/metrics.js';
import { shippedDictionary } from './paths.js';
import { Dictionary } from './radius/dictionary.js';
import { AccountingJournal } from './store/accounting-journal.js';
import { NasTable } from './transport/nas-table.js';
import { UdpServer } from './transport/udp-server.js';

export interface AppOptions {
  readonly loaded: LoadedConfig;
  readonly log: Logger;
  /** Re-reads the configuration on reload (SIGHUP); defaults to loadConfig() with the same environment. */
  readonly reloadConfig?: () => LoadedConfig;
  /** Serve the admin listener here (false in cluster workers: the primary serves it). */
  readonly admin?: boolean;
  /** Sockets shared by node:cluster workers. */
  readonly sharedSockets?: boolean;
}

export interface RunningApp {
  readonly ports: { readonly auth: number; readonly acct: number; readonly admin: number };
  readonly config: Config;
  readonly dictionary: Dictionary;
  isReady(): boolean;
  /** Re-reads clients and users; on error keeps the running ones and rethrows. */
  reload(): void;
  stop(): Promise<void>;
}

export function loadDictionary(config: Config, cwd = process.cwd()): Dictionary {
  return Dictionary.loadFiles([shippedDictionary(), ...config.radius.dictionaries.map((f) => resolve(cwd, f))]);
}

export function buildNasTable(config: Config): NasTable {
  return new NasTable(config.clients, {
    requireMessageAuthenticator: config.radius.requireMessageAuthenticator,
    limitProxyState: config.radius.limitProxyState,
  });
}

export async function startApp(options: AppOptions): Promise<RunningApp> {
  const { log } = options;
  let config = options.loaded.config;
  const dictionary = loadDictionary(config);
  log.info({ attributes: dictionary.attributeCount }, 'dictionary loaded');

  const access = new AccessHandler(new ConfigUserDirectory(config.users, dictionary), log);
  const journal = new AccountingJournal(resolve(config.dataDir));
  const accounting = new AccountingHandler(dictionary, journal, log);
  const udp = new UdpServer(
    buildNasTable(config),
    { access: (ctx) => access.handle(ctx), accounting: (ctx) => accounting.handle(ctx) },
    { ...config.radius, shared: options.sharedSockets ?? false },
    log,
  );
  await udp.start();
  let ready = true;

  let adminServer: http.Server | null = null;
  let adminPort = 0;
  if (options.admin !== false) {
    adminServer = createAdminServer({
      log,
      ready: () => ready,
      metrics: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
    });
    adminPort = await listen(adminServer, config.admin.port, config.admin.listen);
    log.info({ address: config.admin.listen, port: adminPort }, 'admin listener ready');
  }

  const reloadConfig = options.reloadConfig ?? (() => loadConfig());
  return {
    ports: { ...udp.ports(), admin: adminPort },
    get config() {
      return config;
    },
    dictionary,
    isReady: () => ready,
    reload() {
      try {
        const next = reloadConfig();
        const nas = buildNasTable(next.config);
        const users = new ConfigUserDirectory(next.config.users, dictionary);
        udp.setNasTable(nas);
        access.setUsers(users);
        config = next.config;
        configReloads.labels('ok').inc();
        log.info({ clients: nas.clients.length, users: users.size }, 'clients and users reloaded');
      } catch (err) {
        configReloads.labels('error').inc();
        log.error({ err: (err as Error).message }, 'reload failed; keeping the running clients and users');
        throw err;
      }
    },
    async stop() {
      ready = false;
      await udp.stop(config.shutdown.drainTimeoutMs);
      await journal.close();
      if (adminServer) {
        const server = adminServer;
        await new Promise<void>((r) => server.close(() => r()));
        server.closeAllConnections();
      }
    },
  };
}
