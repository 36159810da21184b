/** The admin role's listener: the REST API, the operator console (/console/), /metrics, /healthz and /readyz. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAdminServer, listen } from '../http/admin-server.js';
import { createConsoleHandler } from '../http/console-static.js';
import { createApiHandler } from '../http/api/index.js';
import { drainServer } from '../http/drain.js';
import type { TraceService } from '../domain/trace.js';
import { registry } from '../observability/metrics.js';
import type { AppContext } from './context.js';

export interface AdminOptions {
  readonly ready: () => boolean;
  /** Metrics text; defaults to this process's registry (a cluster primary passes the aggregate). */
  readonly metrics?: (() => Promise<{ contentType: string; body: string }>) | undefined;
  /** The live-trace hub of this instance (./trace.ts). */
  readonly traces?: TraceService | null | undefined;
}

/**
 * dist/console of this package, whether the code runs compiled (dist/src/app) or from source (src/app, the
 * tests): the nearest directory above this module holding package.json is the package.
 */
export function consoleDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return join(dir, 'dist', 'console');
}

export interface Listener {
  /** Opens the listener; returns its port. */
  listen(): Promise<number>;
}

/**
 * Registers the listener on the lifecycle (its stop drains it) without opening it: the composition root opens
 * it once the rest is up, so it stops after what started later (see startApp).
 */
export async function adminListener(ctx: AppContext, options: AdminOptions): Promise<Listener> {
  const { log, store, changes, coa } = ctx;
  const config = ctx.config();
  const api = createApiHandler({
    store,
    changes,
    token: config.admin.token,
    log,
    coa,
    widget: { secret: config.portal.widgetSecret, ttlSeconds: config.portal.widgetTokenTtlSeconds },
    traces: options.traces ?? undefined,
    security: { sessionIdleMinutes: config.admin.sessionIdleMinutes, sessionMaxHours: config.admin.sessionMaxHours, trustedProxies: config.admin.trustedProxies },
    console: {
      profiles: ctx.profiles,
      dictionary: ctx.dictionary,
      vendors: config.vendors,
      // The clients and the default follow a reload (SIGHUP) as the RADIUS role's table does.
      configClients: () => ctx.config().clients,
      defaultRequireMessageAuthenticator: () => ctx.config().radius.requireMessageAuthenticator,
      timeZone: config.fees.timeZone,
      currency: config.portal.currency,
    },
  });
  const server = createAdminServer({
    log,
    ready: options.ready,
    metrics: options.metrics ?? (async () => ({ contentType: registry.contentType, body: await registry.metrics() })),
    api,
    console: createConsoleHandler({ dir: consoleDir(), settings: { currency: config.portal.currency } }),
  });
  await ctx.life.start({
    name: 'admin',
    stop: (budgetMs) => {
      // Live dashboards would otherwise hold the drain until its deadline.
      api.closeStreams();
      return drainHttp(ctx, 'admin', server, budgetMs);
    },
  });
  return {
    async listen() {
      const port = await listen(server, config.admin.port, config.admin.listen);
      log.info({ address: config.admin.listen, port, bootstrapToken: config.admin.token ? 'set' : 'unset (operators only)' }, 'admin listener ready');
      return port;
    },
  };
}

/** drainServer, with a log line when a client had to be cut off. */
export async function drainHttp(ctx: Pick<AppContext, 'log'>, listener: string, server: Parameters<typeof drainServer>[0], budgetMs: number): Promise<void> {
  const report = await drainServer(server, budgetMs);
  if (report.destroyed > 0) ctx.log.warn({ listener, ...report, budgetMs }, 'HTTP requests still in progress at the drain deadline were cut off');
}
