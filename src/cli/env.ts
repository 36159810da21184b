/**
 * The real process behind the commands: stdout/stderr, and the database and change feed named by the
 * configuration (the same ones the daemon uses). Logs go to stderr so `--json` output stays parseable.
 */
import { openCache, openDatabase } from '../app/index.js';
import { loadConfig } from '../config/load.js';
import { createLogger } from '../observability/logger.js';
import { runMigrations } from '../store/migrations.js';
import { createStore } from '../store/store.js';
import { hotCacheChangeFeed } from '../store/change-feed.js';
import { pino } from 'pino';
import type { CliEnv, OpenedStore } from './common.js';

export const processEnv: CliEnv = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  async openStore(configFile): Promise<OpenedStore> {
    const { config } = loadConfig({ file: configFile });
    const log = createLogger('warn', pino.destination(2));
    const sql = await openDatabase(config, log);
    try {
      // The daemon's rule: apply pending migrations unless database.migrate is off.
      if (config.database.migrate) await runMigrations(sql);
    } catch (err) {
      await sql.close();
      throw err;
    }
    const options = { feeTimeZone: config.fees.timeZone };
    const store = createStore(sql, options);
    const cache = openCache(config, log);
    return {
      store,
      changes: hotCacheChangeFeed(cache, store.subscribers),
      transaction: (fn) => store.transaction(fn),
      async close() {
        await cache.close();
        await sql.close();
      },
    };
  },
};
