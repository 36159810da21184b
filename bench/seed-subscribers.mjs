// Seeds N benchmark subscribers (user000001/pw000001 …) into a migrated PostgreSQL database, and reports the
// time to warm them into a SubscriberDirectory and its heap cost per subscriber.
//   node bench/seed-subscribers.mjs postgres://…/tollgate_bench 100000 [--warm-only]
import { createLogger } from '../dist/src/observability/logger.js';
import { runMigrations } from '../dist/src/store/migrations.js';
import { createPostgresSql } from '../dist/src/store/postgres.js';
import { seedBenchSubscribers } from '../dist/src/store/bench-seed.js';
import { createStore } from '../dist/src/store/store.js';
import { createMemoryCache } from '../dist/src/store/memory-cache.js';
import { hotCacheSnapshots } from '../dist/src/store/change-feed.js';
import { SubscriberDirectory } from '../dist/src/aaa/subscriber-directory.js';

const [url, nText = '100000', flag] = process.argv.slice(2);
if (!url) {
  console.error('usage: node bench/seed-subscribers.mjs DATABASE_URL N [--warm-only]');
  process.exit(64);
}
const n = Number(nText);
const sql = createPostgresSql(url, { max: 4 });
await runMigrations(sql);
if (flag !== '--warm-only') {
  const seeded = await seedBenchSubscribers(sql, n);
  console.log(`SEED subscribers=${seeded.subscribers} ms=${Math.round(seeded.ms)}`);
  // A steady state, as a database in service would be: statistics fresh and no autovacuum pass pending.
  await sql.query('VACUUM ANALYZE');
}
globalThis.gc?.();
const before = process.memoryUsage().heapUsed;
const directory = new SubscriberDirectory(
  createStore(sql).subscribers,
  hotCacheSnapshots(createMemoryCache()),
  { maxEntries: 10_000_000, negativeTtlSeconds: 30, sharedTtlSeconds: 300 },
  createLogger('warn'),
);
const warmed = await directory.warm();
globalThis.gc?.();
const after = process.memoryUsage().heapUsed;
console.log(
  `WARM subscribers=${warmed.count} ms=${warmed.ms} heap_bytes_per_subscriber=${Math.round((after - before) / Math.max(1, warmed.count))}`,
);
await sql.close();
