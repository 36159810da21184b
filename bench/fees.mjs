// Seeds N benchmark subscribers (bench-seed: one account each, tariff 'bench' at 50000 a month) and one open
// subscription each, into a migrated PostgreSQL database, then times chargeDailyFees for one day, and a re-run of it
// (idempotent: charges nothing). Build first: npm run build --silent
//   node bench/fees.mjs postgres://…/tollgate_fees_bench 1000000 [--chunk 20000] [--day 2030-01-15]
import { chargeDailyFees } from '../dist/src/store/repositories/fees.js';
import { seedBenchSubscribers } from '../dist/src/store/bench-seed.js';
import { runMigrations } from '../dist/src/store/migrations.js';
import { createPostgresSql } from '../dist/src/store/postgres.js';
import { createStore } from '../dist/src/store/store.js';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : fallback;
};
const chunkSize = Number(option('--chunk', '20000'));
const day = option('--day', '2030-01-15');
const [url, nText = '100000'] = args;
if (!url) {
  console.error('usage: node bench/fees.mjs DATABASE_URL N [--chunk 20000] [--day YYYY-MM-DD]');
  process.exit(64);
}
const n = Number(nText);
const sql = createPostgresSql(url, { max: 4 });
await runMigrations(sql);

const [{ count }] = await sql.query('SELECT count(*)::bigint AS count FROM subscriptions');
if (count === 0) {
  const seeded = await seedBenchSubscribers(sql, n);
  const started = performance.now();
  await sql.query(
    `INSERT INTO subscriptions (account_id, subscriber_id, tariff_id, activated_on)
     SELECT account_id, id, tariff_id, date_trunc('month', $1::date)::date FROM subscribers WHERE tariff_id IS NOT NULL`,
    [day],
  );
  console.log(`SEED subscribers=${seeded.subscribers} ms=${Math.round(seeded.ms)} subscriptions_ms=${Math.round(performance.now() - started)}`);
  await sql.query('VACUUM ANALYZE');
}

let started = performance.now();
const first = await chargeDailyFees(sql, day, { chunkSize });
console.log(
  `FEES day=${day} chunk=${chunkSize} charged=${first.charged} amount=${first.amount} state_changes=${first.accountStateChanges.length} ms=${Math.round(performance.now() - started)}`,
);
started = performance.now();
const again = await chargeDailyFees(sql, day, { chunkSize });
console.log(`RERUN day=${day} charged=${again.charged} amount=${again.amount} ms=${Math.round(performance.now() - started)}`);
const verify = await createStore(sql).ledger.verify();
console.log(`LEDGER accounts=${verify.accounts} mismatches=${verify.mismatches.length}`);
await sql.close();
