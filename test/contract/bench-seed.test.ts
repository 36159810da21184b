/**
 * Timing of the benchmark seed and of the start-up cache warm-up (snapshotBatches), on PGlite and, when
 * TEST_DATABASE_URL is set, PostgreSQL. Opt-in: TOLLGATE_BENCH_SEED=<subscribers> (e.g. 100000).
 */
import { describe, expect, it } from 'vitest';
import { seedBenchSubscribers } from '../../src/store/bench-seed.js';
import { createStore } from '../../src/store/store.js';
import { createPGliteTestSql, createPostgresTestSql, type TestSql } from '../helpers/sql.js';

const n = Number(process.env.TOLLGATE_BENCH_SEED ?? 0);
const url = process.env.TEST_DATABASE_URL;

async function measure(label: string, make: () => Promise<TestSql>): Promise<void> {
  const { sql, cleanup } = await make();
  try {
    const seeded = await seedBenchSubscribers(sql, n);
    const store = createStore(sql);
    const started = performance.now();
    let read = 0;
    for await (const batch of store.subscribers.snapshotBatches(10_000)) read += batch.length;
    const warmMs = performance.now() - started;
    console.log(`${label}: seed ${n} subscribers ${Math.round(seeded.ms)} ms; snapshotBatches(10000) read ${read} in ${Math.round(warmMs)} ms`);
    expect(read).toBe(n);
  } finally {
    await cleanup();
  }
}

describe.skipIf(!(n > 0))('bench seed timing', () => {
  it('PGlite', () => measure('PGlite', () => createPGliteTestSql({ migrate: true })), 600_000);
  it.skipIf(!url)('PostgreSQL', () => measure('PostgreSQL', () => createPostgresTestSql(url!, { migrate: true })), 600_000);
});
