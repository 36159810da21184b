// Records/s through the accounting journal and the rater on PostgreSQL, without the UDP front, with C concurrent
// submitters (each waits for its ack, as a BRAS's outstanding-request window does). Seeds N subscribers (traffic
// 1000/GB, time 6/min) into a schema of its own, runs for D seconds of Start → Interim… → Stop sessions, reports
// the ack rate and latency, the rating rate, how long the rater took to catch up after the load stopped, checks
// the ledger, drops the schema.
//   npm run build && node bench/accounting-writer.mjs postgres://postgres@127.0.0.1:5432/test [C=64] [D=10] [N=10000] [maxBatch=1024] [maxInFlight=1] [rateBatch=5000]
// TOLLGATE_DIST=/other/build/dir overrides ../dist.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dist = process.env.TOLLGATE_DIST ?? resolve(import.meta.dirname, '../dist');
const load = (p) => import(pathToFileURL(resolve(dist, p)).href);
const { AccountingJournal } = await load('src/billing/journal.js');
const { AccountingRater } = await load('src/billing/rater.js');
const { accountingJournalRepository } = await load('src/store/repositories/journal.js');
const { accountingRatingRepository } = await load('src/store/repositories/rating.js');
const { createStore } = await load('src/store/store.js');
const { runMigrations } = await load('src/store/migrations.js');
const { createPostgresSql } = await load('src/store/postgres.js');
const { seedBenchSubscribers, benchUsername } = await load('src/store/bench-seed.js');
const { createLogger } = await load('src/observability/logger.js');

const [url, cText = '64', dText = '10', nText = '10000', bText = '1024', fText = '1', rText = '5000'] = process.argv.slice(2);
if (!url) {
  console.error('usage: node bench/accounting-writer.mjs DATABASE_URL [concurrency] [seconds] [subscribers] [maxBatch] [maxInFlight]');
  process.exit(64);
}
const concurrency = Number(cText);
const seconds = Number(dText);
const n = Number(nText);
const maxBatch = Number(bText);
const maxInFlight = Number(fText);
const rateBatch = Number(rText);

const schema = `tg_bench_${randomBytes(4).toString('hex')}`;
const admin = createPostgresSql(url, { max: 1 });
await admin.query(`CREATE SCHEMA ${schema}`);
const sql = createPostgresSql(url, { max: Math.max(4, maxInFlight + 1), searchPath: schema });
const log = createLogger('warn');
try {
  await runMigrations(sql);
  await seedBenchSubscribers(sql, n);
  await sql.query(`UPDATE tariffs SET price_per_gb = 1000, price_per_minute = 6 WHERE name = 'bench'`);
  // A live database holds session history: without it the planner sees an empty sessions table and every pooled
  // connection caches a sequential scan as the generic plan of the charges → sessions foreign-key check (plans
  // of RI checks are cached per connection), which then costs O(rows) per charge until autoanalyze runs.
  // BENCH_HISTORY=0 reproduces the empty-table start.
  const history = Number(process.env.BENCH_HISTORY ?? n);
  if (history > 0) {
    await sql.query(
      `INSERT INTO sessions (acct_unique_id, nas_name, acct_session_id, username, subscriber_id, account_id, started_at, updated_at,
         stopped_at, terminate_cause, last_status)
       SELECT '11:bench-old:' || g, 'bench-old', g::text, s.username, s.id, s.account_id, t, t + interval '1 hour', t + interval '1 hour',
         'User-Request', 'stop'
       FROM generate_series(1, $1::int) g JOIN subscribers s ON s.id = (SELECT min(id) FROM subscribers) + (g - 1) % $2::int,
         LATERAL (SELECT timestamptz '2030-02-01' + g * interval '1 second' AS t) x`,
      [history, n],
    );
  }
  await sql.query('VACUUM ANALYZE');

  const timing = new Map();
  const timed = (inner) => ({ ...inner, query: async (text, params) => { const t = performance.now(); try { return await inner.query(text, params); } finally { const k = text.replace(/\s+/g, ' ').slice(0, 60); const e = timing.get(k) ?? [0, 0]; e[0] += performance.now() - t; e[1]++; timing.set(k, e); } }, transaction: (fn) => inner.transaction((tx) => fn(timed(tx))) });
  const db = process.env.BENCH_PROFILE ? timed(sql) : sql;
  const rater = new AccountingRater(accountingRatingRepository(db), { maxRecords: rateBatch, pollIntervalMs: 1000, minIntervalMs: Number(process.env.RATE_INTERVAL_MS ?? 50), backlogIntervalMs: 0 }, log);
  const writer = new AccountingJournal(accountingJournalRepository(db), { maxBatch, maxInFlight }, log, () => rater.kick());
  rater.start();
  const T0 = Math.floor(Date.UTC(2030, 2, 10) / 1000);
  const GB = 1_000_000_000n;
  let records = 0;
  let sessionSeq = 0;
  const latencies = [];
  const deadline = performance.now() + seconds * 1000;
  const record = (status, sid, user, t, bytes) => ({
    nas: 'bench-bras',
    status,
    statusType: { start: 1, stop: 2, 'interim-update': 3 }[status],
    acctSessionId: sid,
    username: user,
    framedIp: null,
    callingStationId: null,
    nasPort: null,
    sessionTime: status === 'start' ? null : BigInt(t),
    input: status === 'start' ? null : { bytes, gigawords: true },
    output: status === 'start' ? null : { bytes: bytes / 4n, gigawords: true },
    eventTime: new Date((T0 + t) * 1000),
    receivedAt: new Date((T0 + t) * 1000),
    delayTime: 0,
    terminateCause: status === 'stop' ? 'User-Request' : null,
  });
  const submit = async (r) => {
    const started = performance.now();
    await writer.submit(r);
    latencies.push(performance.now() - started);
    records++;
  };
  async function submitter() {
    while (performance.now() < deadline) {
      const k = sessionSeq++;
      const user = benchUsername((k % n) + 1, n);
      const sid = `bench-${k}`;
      await submit(record('start', sid, user, 0, 0n));
      for (let i = 1; i <= 8 && performance.now() < deadline; i++) {
        await submit(record('interim-update', sid, user, i * 60, (GB * BigInt(i)) / 3n));
      }
      await submit(record('stop', sid, user, 600, (GB * 9n) / 3n));
    }
  }
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, submitter));
  const elapsed = (performance.now() - started) / 1000;
  await writer.stop();
  const catchUp = performance.now();
  await rater.drain(600_000);
  const catchUpSeconds = (performance.now() - catchUp) / 1000;
  await rater.stop();
  const ratedSeconds = elapsed + catchUpSeconds;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))].toFixed(1);
  if (process.env.BENCH_PROFILE) for (const [k, [ms, count]] of [...timing].sort((a, b) => b[1][0] - a[1][0])) console.log(ms.toFixed(0).padStart(7), 'ms', String(count).padStart(6), k);
  const ledger = await createStore(sql).ledger.verify();
  const [{ charges }] = await sql.query('SELECT count(*)::int AS charges FROM charges');
  console.log(
    `ACCOUNTING concurrency=${concurrency} maxBatch=${maxBatch} maxInFlight=${maxInFlight} rateBatch=${rateBatch} records=${records} seconds=${elapsed.toFixed(2)} ` +
      `rate=${Math.round(records / elapsed)}/s ack_ms p50=${pct(0.5)} p99=${pct(0.99)} rated_rate=${Math.round(records / ratedSeconds)}/s ` +
      `catch_up_s=${catchUpSeconds.toFixed(2)} charges=${charges} ` +
      `ledger_mismatches=${ledger.mismatches.length} history=${history}`,
  );
} finally {
  await sql.close();
  await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  await admin.close();
}
