// The operator console's read queries at scale: seeds a PostgreSQL database with generate_series (by default
// 1,000,000 subscribers, 10,000,000 sessions of which 500,000 open, 10,000,000 auth-log rows over 7 days, a
// payment per account and 2,000,000 usage charges this month, 100,000 CoA audit rows), then times each query the
// console's routes run (search by every key, the overview's reads, a month's statement, the dashboard over 1 h and
// 24 h, the live figures) through the repositories, and prints a table with the median and worst of 5 runs
// against the 200 ms target (docs/performance.md, "Console queries").
//
//   node bench/console-queries.mjs postgres://postgres@127.0.0.1:5432/tollgate_console_bench \
//     [--subscribers 1000000] [--sessions 10000000] [--open 500000] [--auth-log 10000000] [--charges 2000000] \
//     [--reps 5] [--no-seed] [--explain]
//
// The database is dropped and created again unless --no-seed (its name must start with tollgate_, so a database of
// anything else is never dropped). Needs `npm run build` (it imports dist/); bench/console-queries.sh does both.
import { createPostgresSql } from '../dist/src/store/postgres.js';
import { runMigrations } from '../dist/src/store/migrations.js';
import { createStore } from '../dist/src/store/store.js';

const args = process.argv.slice(2);
const url = args.find((a) => !a.startsWith('--') && /^postgres(ql)?:\/\//.test(a));
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(args[i + 1]);
};
const flag = (name) => args.includes(`--${name}`);
if (!url) {
  console.error('usage: node bench/console-queries.mjs DATABASE_URL [--subscribers N] [--sessions N] [--open N] [--auth-log N] [--charges N] [--reps N] [--no-seed] [--explain]');
  process.exit(64);
}
const N = option('subscribers', 1_000_000);
const SESSIONS = option('sessions', 10_000_000);
const OPEN = Math.min(option('open', Math.floor(N / 2)), SESSIONS, N);
const AUTH = option('auth-log', 10_000_000);
const CHARGES = option('charges', 2_000_000);
const COA = Math.max(1, Math.floor(AUTH / 100));
const REPS = option('reps', 5);
const CHUNK = 1_000_000;
const TARGET_MS = 200;

const dbName = new URL(url).pathname.slice(1);
const log = (msg) => console.log(`${new Date().toISOString().slice(11, 19)} ${msg}`);

async function recreate() {
  if (!/^tollgate_\w+$/.test(dbName)) throw new Error(`refusing to drop ${JSON.stringify(dbName)}: the bench database's name must start with tollgate_`);
  const server = new URL(url);
  server.pathname = '/postgres';
  const admin = createPostgresSql(server.toString(), { max: 1 });
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.close();
}

/** Runs `text` once per chunk of [1, total]: $1 and $2 are the chunk's first and last number. */
async function chunked(sql, what, total, text) {
  const started = performance.now();
  for (let from = 1; from <= total; from += CHUNK) {
    await sql.query(text, [from, Math.min(total, from + CHUNK - 1)]);
  }
  log(`seeded ${total} ${what} in ${Math.round(performance.now() - started)} ms`);
}

async function seed(sql) {
  await sql.query(`INSERT INTO tariffs (id, name, monthly_fee, down_kbps, up_kbps) VALUES (1, 'bench', 50000, 100000, 50000)`);
  await sql.query(`INSERT INTO nas (name, address, secret, vendor) SELECT 'bras-' || g, '10.255.0.' || g, 'bench-secret', 'mikrotik' FROM generate_series(0, 9) g`);
  // 5 % of the accounts blocked, the others funded.
  await chunked(sql, 'accounts', N, `INSERT INTO accounts (id, balance, credit_limit, state)
    SELECT g, CASE WHEN g % 20 = 0 THEN -100 ELSE 100000 END, 0, CASE WHEN g % 20 = 0 THEN 'blocked' ELSE 'active' END
    FROM generate_series($1::bigint, $2::bigint) g`);
  // Every 5th has a static address, every 10th a MAC binding.
  await chunked(sql, 'subscribers', N, `INSERT INTO subscribers (id, username, account_id, tariff_id, framed_ip, mac)
    SELECT g, 'user' || lpad(g::text, 7, '0'), g, 1,
           CASE WHEN g % 5 = 0 THEN '10.0.0.0'::inet + g END,
           CASE WHEN g % 10 = 0 THEN lpad(to_hex(g), 12, '0')::macaddr END
    FROM generate_series($1::bigint, $2::bigint) g`);
  await sql.query(`SELECT setval(pg_get_serial_sequence('accounts', 'id'), ${N}), setval(pg_get_serial_sequence('subscribers', 'id'), ${N})`);
  // Sessions over the last 30 days, one subscriber after another; the last OPEN are open, on a pool address and
  // with a Calling-Station-Id in the dashed upper-case spelling.
  await chunked(sql, 'sessions', SESSIONS, `INSERT INTO sessions (id, acct_unique_id, nas_name, acct_session_id, username, subscriber_id, account_id,
       framed_ip, calling_station_id, started_at, updated_at, stopped_at, last_status, first_seen_at, last_seen_at)
    SELECT g, 's' || g, 'bras-' || (g % 10), to_hex(g), 'user' || lpad(u::text, 7, '0'), u, u,
           CASE WHEN open THEN '100.64.0.0'::inet + g % 4000000 END,
           CASE WHEN open THEN upper(regexp_replace(lpad(to_hex(u + 1000000000), 12, '0'), '(..)(?!$)', '\\1-', 'g')) END,
           t, t, CASE WHEN open THEN NULL ELSE t + interval '1 hour' END, CASE WHEN open THEN 'start' ELSE 'stop' END, t, t
    FROM (SELECT g, ((g - 1) % ${N}) + 1 AS u, g > ${SESSIONS - OPEN} AS open,
                 now() - (interval '30 days' * (${SESSIONS} - g)::float8 / ${SESSIONS}) AS t
          FROM generate_series($1::bigint, $2::bigint) g) x`);
  await sql.query(`SELECT setval(pg_get_serial_sequence('sessions', 'id'), ${SESSIONS})`);
  // Access decisions over the last 7 days: 90 % accept, 5 % redirect, 5 % reject.
  await chunked(sql, 'auth_log rows', AUTH, `INSERT INTO auth_log (at, username, nas, result, reason, method)
    SELECT now() - interval '7 days' * (${AUTH} - g)::float8 / ${AUTH}, 'user' || lpad((((g - 1) % ${N}) + 1)::text, 7, '0'), 'bras-' || (g % 10),
           CASE WHEN g % 20 = 0 THEN 'reject' WHEN g % 20 = 1 THEN 'redirect' ELSE 'accept' END,
           CASE WHEN g % 20 = 0 THEN 'bad_password' WHEN g % 20 = 1 THEN 'blocked' END, 'pap'
    FROM generate_series($1::bigint, $2::bigint) g`);
  // The per-minute rollup the auth-log writer keeps with each batch (seeded rows bypass the writer).
  await sql.query(`INSERT INTO auth_log_minutes (minute, accept, redirect, reject)
    SELECT date_trunc('minute', at), count(*) FILTER (WHERE result = 'accept'), count(*) FILTER (WHERE result = 'redirect'),
           count(*) FILTER (WHERE result = 'reject')
    FROM auth_log GROUP BY 1`);
  // A payment per account and the usage charges, over this month so far; the month's fee days in fee_runs.
  await chunked(sql, 'payments', N, `INSERT INTO payments (account_id, amount, external_id, created_at)
    SELECT g, 50000, 'bench:' || g, date_trunc('month', now()) + (now() - date_trunc('month', now())) * (g::float8 / ${N}) FROM generate_series($1::bigint, $2::bigint) g`);
  await chunked(sql, 'charges', CHARGES, `INSERT INTO charges (account_id, kind, amount, created_at)
    SELECT ((g - 1) % ${N}) + 1, 'traffic', 100 + g % 900, date_trunc('month', now()) + (now() - date_trunc('month', now())) * (g::float8 / ${CHARGES})
    FROM generate_series($1::bigint, $2::bigint) g`);
  await sql.query(`INSERT INTO fee_runs (day, charged, amount) SELECT d::date, ${N}, ${N} * 1666 FROM generate_series(date_trunc('month', now()), now(), interval '1 day') d`);
  await chunked(sql, 'coa_audit rows', COA, `INSERT INTO coa_audit (at, nas, username, request, action, attempts, result, rtt_ms)
    SELECT now() - interval '7 days' * (${COA} - g)::float8 / ${COA}, 'bras-' || (g % 10), 'user' || lpad((((g - 1) % ${N}) + 1)::text, 7, '0'),
           'coa', 'restrict', 1, CASE WHEN g % 50 = 0 THEN 'timeout' ELSE 'ack' END, 5
    FROM generate_series($1::bigint, $2::bigint) g`);
  await sql.query(`INSERT INTO accounting_journal (received_at, records, body) SELECT now() - interval '1 second' * g, 10, '[]' FROM generate_series(1, 20) g`);
  const started = performance.now();
  await sql.query('VACUUM ANALYZE');
  log(`VACUUM ANALYZE in ${Math.round(performance.now() - started)} ms`);
}

async function time(name, fn) {
  await fn(); // warm the cache and the plan
  const ms = [];
  let rows = 0;
  for (let i = 0; i < REPS; i++) {
    const started = performance.now();
    const out = await fn();
    ms.push(performance.now() - started);
    rows = Array.isArray(out) ? out.length : typeof out === 'number' ? out : (out?.items?.length ?? out?.days?.length ?? out?.decisions?.length ?? 1);
  }
  ms.sort((a, b) => a - b);
  return { name, median: ms[Math.floor(ms.length / 2)], max: ms[ms.length - 1], rows };
}

if (!flag('no-seed')) await recreate();
const db = createPostgresSql(url, { max: 4 });
await runMigrations(db);
if (!flag('no-seed')) {
  log(`seeding ${N} subscribers, ${SESSIONS} sessions (${OPEN} open), ${AUTH} auth-log rows, ${CHARGES} charges`);
  await seed(db);
}
const store = createStore(db);
const c = store.console;
const pick = (i) => Math.max(1, Math.min(N, i));
const user = (i) => `user${String(pick(i)).padStart(7, '0')}`;
// A subscriber with a static address and a MAC binding (every 10th), and an open session's subscriber.
const bound = pick(Math.floor(N / 20) * 10 || 10);
const [openRow] = await db.query(`SELECT subscriber_id, host(framed_ip) AS ip, calling_station_id FROM sessions WHERE stopped_at IS NULL ORDER BY id LIMIT 1`);
const [bindRow] = await db.query(`SELECT host(framed_ip) AS ip, mac::text AS mac FROM subscribers WHERE id = $1`, [bound]);
const now = new Date();
const hourAgo = new Date(now.getTime() - 3_600_000);
const dayAgo = new Date(now.getTime() - 86_400_000);
const monthStart = `${now.toISOString().slice(0, 8)}01`;
const today = now.toISOString().slice(0, 10);
const hex = (mac) => mac.replace(/[^0-9a-fA-F]/g, '').toLowerCase();

const cases = [
  ['search login prefix (10 hits)', () => c.search({ loginPrefix: user(Math.floor(N / 2)).slice(0, -1) }, 20)],
  ['search login prefix (every login matches)', () => c.search({ loginPrefix: 'user' }, 20)],
  ['search login prefix, upper case', () => c.search({ loginPrefix: user(Math.floor(N / 3)).toUpperCase() }, 20)],
  ['search static framed IP', () => c.search({ loginPrefix: bindRow?.ip ?? '', ip: bindRow?.ip ?? '10.0.0.5' }, 20)],
  ['search open session IP', () => c.search({ loginPrefix: openRow?.ip ?? '', ip: openRow?.ip ?? '100.64.0.1' }, 20)],
  ['search MAC binding', () => c.search({ loginPrefix: bindRow?.mac ?? '', macHex: hex(bindRow?.mac ?? '000000000010') }, 20)],
  ['search open session MAC', () => c.search({ loginPrefix: openRow?.calling_station_id ?? '', macHex: hex(openRow?.calling_station_id ?? '') }, 20)],
  ['search id (subscriber / account)', () => c.search({ loginPrefix: String(bound), id: bound }, 20)],
  ['overview: subscriber', () => store.subscribers.get(bound)],
  ['overview: account + state period', () => Promise.all([store.accounts.get(bound), c.statePeriod(bound)])],
  ['overview: last 20 decisions', () => store.authLog.query({ username: user(bound), limit: 20 })],
  ['overview: open sessions', () => store.sessions.list({ username: user(openRow?.subscriber_id ?? 1), active: true }, { limit: 50, offset: 0 })],
  ['overview: last CoA', () => c.lastCoa(user(bound))],
  ['statement: this month by day', () => store.statements.daily(bound, { from: monthStart, to: today, timeZone: 'UTC' })],
  ['dashboard: last hour', () => c.dashboard(hourAgo, now, 'UTC')],
  ['dashboard: last 24 hours', () => c.dashboard(dayAgo, now, 'UTC')],
  ['live: online sessions', () => c.onlineSessions()],
  ['live: decisions in 60 s', () => c.decisionsSince(new Date(now.getTime() - 60_000), now)],
  ['live: rating lag', () => c.ratingLag()],
  ['nas status: last seen', () => c.nasLastSeen()],
];

const results = [];
for (const [name, fn] of cases) results.push(await time(name, fn));

if (flag('explain')) {
  for (const [label, text, params] of [
    ['online', 'SELECT count(*) FROM sessions WHERE stopped_at IS NULL', []],
    ['decisions per minute, 24 h', "SELECT date_bin('1 minute', minute, $1::timestamptz), sum(accept) FROM auth_log_minutes WHERE minute >= $1::timestamptz AND minute < $2::timestamptz GROUP BY 1", [dayAgo.toISOString(), now.toISOString()]],
    ['decisions in 60 s', 'SELECT count(*) FROM auth_log WHERE at >= $1::timestamptz AND at < $2::timestamptz', [new Date(now.getTime() - 60_000).toISOString(), now.toISOString()]],
    ['login prefix', `SELECT id FROM subscribers WHERE (lower(username) COLLATE "C") LIKE lower($1) || '%' ORDER BY lower(username) COLLATE "C" LIMIT 20`, ['user']],
    ['payments this month', "SELECT sum(amount) FROM payments WHERE created_at >= date_trunc('month', now())", []],
    ['session MAC', "SELECT subscriber_id FROM sessions se WHERE lower(regexp_replace(se.calling_station_id, '[^0-9A-Fa-f]', '', 'g')) = $1 AND stopped_at IS NULL AND calling_station_id IS NOT NULL", [hex(openRow?.calling_station_id ?? '')]],
  ]) {
    const plan = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, params);
    console.log(`\n-- ${label}\n${plan.map((r) => r['QUERY PLAN']).join('\n')}`);
  }
}

const [{ subscribers, sessions, open, auth }] = await db.query(
  `SELECT (SELECT count(*) FROM subscribers)::int AS subscribers, (SELECT count(*) FROM sessions)::int AS sessions,
          (SELECT count(*) FROM sessions WHERE stopped_at IS NULL)::int AS open, (SELECT count(*) FROM auth_log)::int AS auth`,
);
console.log(`\nconsole queries on ${subscribers} subscribers, ${sessions} sessions (${open} open), ${auth} auth-log rows; ${REPS} runs each, after one warm-up\n`);
const width = Math.max(...results.map((r) => r.name.length));
console.log(`${'query'.padEnd(width)}  median ms  max ms   rows  < ${TARGET_MS} ms`);
for (const r of results) {
  console.log(`${r.name.padEnd(width)}  ${r.median.toFixed(1).padStart(9)}  ${r.max.toFixed(1).padStart(6)}  ${String(r.rows).padStart(5)}  ${r.max < TARGET_MS ? 'yes' : 'NO'}`);
}
await db.close();
process.exitCode = results.every((r) => r.max < TARGET_MS) ? 0 : 1;
