/**
 * Starts the real daemon in-process on ephemeral loopback ports, with logs captured as parsed JSON lines.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startApp, type AppOptions, type RunningApp } from '../../src/app/index.js';
import { validateConfig } from '../../src/config/load.js';
import { runMigrations } from '../../src/store/migrations.js';
import type { Sql } from '../../src/store/sql.js';
import { createLogger } from '../../src/observability/logger.js';
import { apiClient, type ApiClient } from './api-client.js';
import { createTestSql } from './sql.js';

export const SECRET = 'integration-secret-0123';

export interface TestDaemon {
  readonly app: RunningApp;
  /** The test database (shared with a second daemon by passing this daemon as `shareWith`). */
  readonly sql: Sql;
  /** The connection the app was given (a wrapper over `sql`): a test may make it fail to play a database outage. */
  readonly appSql: Sql;
  readonly logs: Record<string, unknown>[];
  readonly dataDir: string;
  /** The admin API on the admin listener, with the configured token. */
  readonly api: ApiClient;
  /** Prometheus text from the admin listener. */
  metrics(): Promise<string>;
  stop(): Promise<void>;
}

export function testConfigInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-it-'));
  return {
    dataDir,
    log: { level: 'debug' },
    demo: { seed: false },
    radius: { listen: ['127.0.0.1', '::1'], authPort: 0, acctPort: 0, replyCacheSeconds: 5 },
    admin: { listen: '127.0.0.1', port: 0 },
    portal: { listen: '127.0.0.1', port: 0 },
    clients: [
      { name: 'bras-v4', address: '127.0.0.1', secret: SECRET, vendor: 'mikrotik' },
      { name: 'bras-v6', address: '::1', secret: SECRET, vendor: 'mikrotik' },
      // No Message-Authenticator required, Proxy-State limited: 127.0.0.3 plays an older NAS.
      { name: 'legacy', address: '127.0.0.3', secret: SECRET, requireMessageAuthenticator: false, limitProxyState: true },
      { name: 'legacy-open', address: '127.0.0.4', secret: SECRET, requireMessageAuthenticator: false, limitProxyState: false },
    ],
    users: [
      { username: 'alice', password: 'alice-password', reply: { 'Mikrotik-Rate-Limit': '50M/50M', 'Session-Timeout': 3600 } },
      { username: 'carol', ntHash: '8846F7EAEE8FB117AD06BDD830B7586C', reply: { 'Framed-IP-Address': '100.64.0.3' } },
    ],
    ...overrides,
  };
}

/** What a test may give the app beyond its config, and how it may watch the app's SQL. */
export interface TestDaemonOptions extends Pick<AppOptions, 'cache' | 'rate' | 'onJournalCommitted'> {
  /** Sees the text of every statement the app sends (not those inside its transactions). */
  readonly onQuery?: (text: string) => void;
}

/**
 * The daemon on a fresh database: PostgreSQL (own schema) when TEST_DATABASE_URL is set, else in-memory PGlite.
 * `prepare` runs after migrations, before the daemon starts (to insert subscribers, NAS rows…).
 */
export async function startTestDaemon(
  input: Record<string, unknown> = testConfigInput(),
  prepare?: (sql: Sql) => Promise<void>,
  shareWith?: TestDaemon,
  options: TestDaemonOptions = {},
): Promise<TestDaemon> {
  const config = validateConfig(input, 'test');
  const { sql, cleanup } = shareWith ? { sql: shareWith.sql, cleanup: () => Promise.resolve() } : await createTestSql();
  if (prepare) {
    await runMigrations(sql);
    await prepare(sql);
  }
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  const log = createLogger(config.log.level, sink);
  let current = input;
  // The app closes its Sql on stop; cleanup() closes the real one (and drops the test schema) after it.
  const { onQuery, ...appOptions } = options;
  const appSql: Sql = {
    kind: sql.kind,
    query: (t, p) => {
      onQuery?.(t);
      return sql.query(t, p);
    },
    copyIn: (table, columns, rows) => {
      onQuery?.(`COPY ${table}`);
      return sql.copyIn(table, columns, rows);
    },
    transaction: (fn) => sql.transaction(fn),
    close: () => Promise.resolve(),
  };
  const app = await startApp({
    ...appOptions,
    loaded: { config, source: 'test', warnings: [] },
    log,
    sql: appSql,
    reloadConfig: () => ({ config: validateConfig(current, 'test'), source: 'test', warnings: [] }),
  });
  const daemon: TestDaemon & { setInput(next: Record<string, unknown>): void } = {
    app,
    sql,
    appSql,
    logs,
    dataDir: config.dataDir,
    api: apiClient(`http://127.0.0.1:${app.ports.admin}`, config.admin.token),
    async metrics() {
      const res = await fetch(`http://127.0.0.1:${app.ports.admin}/metrics`);
      return res.text();
    },
    async stop() {
      await app.stop();
      await cleanup();
    },
    setInput(next) {
      current = next;
    },
  };
  return daemon;
}

export { metricValue } from './metrics.js';
