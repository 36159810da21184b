/**
 * Bulk subscribers for benchmarks: user000001…userNNNNNN with passwords pw000001…, each with its own account
 * funded by one payment (so balance = Σ payments holds), all on the tariff 'bench' (monthly fee 50000,
 * 100000/50000 kbps). NT hashes cannot be computed in SQL, so each batch hashes in JS and inserts its rows
 * with one statement of array parameters.
 */
import { ntPasswordHash } from '../auth/mschapv2.js';
import type { Sql } from './sql.js';

export interface BenchSeedOptions {
  /** Rows per statement (default 10000). */
  readonly batchSize?: number;
  /** Opening balance of each account, in minor units (default 1 000 000). */
  readonly balance?: number;
}

export interface BenchSeedResult {
  readonly tariffId: number;
  readonly subscribers: number;
  readonly ms: number;
}

/** 'user000042' for 42 (at least six digits, more when n needs them). */
export function benchUsername(i: number, n: number): string {
  return `user${String(i).padStart(Math.max(6, String(n).length), '0')}`;
}

export function benchPassword(i: number, n: number): string {
  return `pw${String(i).padStart(Math.max(6, String(n).length), '0')}`;
}

// Account ids are drawn from the sequence in the CTE (evaluated once, being volatile), so each subscriber,
// its account and the account's payment are tied together in one statement (a trigger opens the state history).
const INSERT_BATCH = /* sql */ `
WITH input AS (
  SELECT u.username, u.password, u.nt_hash, nextval(pg_get_serial_sequence('accounts', 'id')) AS account_id
  FROM unnest($1::text[], $2::text[], $3::text[]) AS u(username, password, nt_hash)
), account AS (
  INSERT INTO accounts (id, balance, credit_limit, state) SELECT account_id, $4, 0, 'active' FROM input
), payment AS (
  INSERT INTO payments (account_id, amount, external_id, comment)
  SELECT account_id, $4, 'bench-seed:' || username, 'bench seed' FROM input
)
INSERT INTO subscribers (username, password_cleartext, nt_hash, account_id, tariff_id)
SELECT username, password, nt_hash, account_id, $5 FROM input`;

/**
 * Inserts `n` benchmark subscribers into a migrated, bench-free database.
 *
 * @example
 * const { ms } = await seedBenchSubscribers(sql, 100_000);
 */
export async function seedBenchSubscribers(sql: Sql, n: number, options: BenchSeedOptions = {}): Promise<BenchSeedResult> {
  const batchSize = options.batchSize ?? 10_000;
  const balance = options.balance ?? 1_000_000;
  const started = performance.now();
  const [tariff] = await sql.query<{ id: number }>(
    `INSERT INTO tariffs (name, monthly_fee, down_kbps, up_kbps) VALUES ('bench', 50000, 100000, 50000)
     ON CONFLICT (name) DO UPDATE SET monthly_fee = EXCLUDED.monthly_fee, down_kbps = EXCLUDED.down_kbps, up_kbps = EXCLUDED.up_kbps
     RETURNING id`,
  );
  const tariffId = tariff!.id;
  for (let from = 1; from <= n; from += batchSize) {
    const to = Math.min(n, from + batchSize - 1);
    const usernames: string[] = [];
    const passwords: string[] = [];
    const hashes: string[] = [];
    for (let i = from; i <= to; i++) {
      const password = benchPassword(i, n);
      usernames.push(benchUsername(i, n));
      passwords.push(password);
      hashes.push(ntPasswordHash(password).toString('hex'));
    }
    await sql.transaction((tx) => tx.query(INSERT_BATCH, [usernames, passwords, hashes, balance, tariffId]));
  }
  return { tariffId, subscribers: n, ms: performance.now() - started };
}
