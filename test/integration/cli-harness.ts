/**
 * Runs operator commands in-process against a real Store (PGlite, or PostgreSQL with TEST_DATABASE_URL) with
 * stdout and stderr captured, and the change events the commands publish (through the real hot-cache change
 * feed on the in-process cache) collected.
 */
import { hotCacheChangeFeed, CHANGES_CHANNEL } from '../../src/store/change-feed.js';
import type { CliEnv } from '../../src/cli/common.js';
import { runOperatorCommand } from '../../src/cli/dispatch.js';
import { createMemoryCache } from '../../src/store/memory-cache.js';
import { runMigrations } from '../../src/store/migrations.js';
import type { ChangeEvent, HotCache, Store } from '../../src/domain/ports.js';
import { bulkImportRepository } from '../../src/store/repositories/bulk-import.js';
import { createStore } from '../../src/store/store.js';
import { createTestSql, type TestSql } from '../helpers/sql.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliHarness {
  readonly db: TestSql;
  readonly store: Store;
  readonly env: CliEnv;
  /** Change events published so far (delivered asynchronously; await `settle()` first). */
  readonly events: ChangeEvent[];
  run(...argv: string[]): Promise<CliRun>;
  /** `run` with `input` as standard input (the commands that read a password there). */
  runWithInput(input: string, ...argv: string[]): Promise<CliRun>;
  settle(): Promise<void>;
  close(): Promise<void>;
}

export async function createCliHarness(): Promise<CliHarness> {
  const db = await createTestSql();
  await runMigrations(db.sql);
  const store = createStore(db.sql);
  const cache: HotCache = createMemoryCache();
  const events: ChangeEvent[] = [];
  await cache.subscribe(CHANGES_CHANNEL, (m) => events.push(JSON.parse(m) as ChangeEvent));
  let stdout = '';
  let stderr = '';
  let stdin = '';
  const env: CliEnv = {
    readStdin: () => Promise.resolve(stdin),
    user: 'test-user',
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    openStore: () =>
      Promise.resolve({
        store,
        changes: hotCacheChangeFeed(cache, store.subscribers),
        bulk: bulkImportRepository(db.sql),
        transaction: (fn) => store.transaction(fn),
        close: () => Promise.resolve(),
      }),
  };
  async function run(...argv: string[]): Promise<CliRun> {
    stdout = '';
    stderr = '';
    const code = await runOperatorCommand(argv, env, 'USAGE\n');
    return { code, stdout, stderr };
  }
  return {
    db,
    store,
    env,
    events,
    run,
    async runWithInput(input, ...argv) {
      stdin = input;
      try {
        return await run(...argv);
      } finally {
        stdin = '';
      }
    },
    settle: () => new Promise((resolve) => setTimeout(resolve, 20)),
    async close() {
      await cache.close();
      await db.cleanup();
    },
  };
}
