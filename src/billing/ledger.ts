/**
 * The ledger check (docs/design.md invariant 2, docs/schema.md invariant 1): for every account,
 * balance = Σ payments + Σ adjustments − Σ charges. One query, aggregating each table once.
 */
import type { Sql } from '../domain/ports.js';

export interface LedgerMismatch {
  readonly accountId: number;
  readonly balance: number;
  readonly expected: number;
}

export interface LedgerReport {
  /** Accounts checked. */
  readonly accounts: number;
  readonly mismatches: LedgerMismatch[];
}

/**
 * @example
 * const { mismatches } = await verifyLedger(sql); // [] when every balance matches its rows
 */
export async function verifyLedger(sql: Sql): Promise<LedgerReport> {
  const rows = await sql.query<{ id: number; balance: number; expected: number; accounts: number }>(
    `WITH p AS (SELECT account_id, sum(amount) AS s FROM payments GROUP BY account_id),
          j AS (SELECT account_id, sum(amount) AS s FROM adjustments GROUP BY account_id),
          c AS (SELECT account_id, sum(amount) AS s FROM charges GROUP BY account_id),
          l AS (
            SELECT a.id, a.balance, coalesce(p.s, 0) + coalesce(j.s, 0) - coalesce(c.s, 0) AS expected
            FROM accounts a
            LEFT JOIN p ON p.account_id = a.id
            LEFT JOIN j ON j.account_id = a.id
            LEFT JOIN c ON c.account_id = a.id
          )
     SELECT t.id, t.balance, t.expected, n.accounts
     FROM (SELECT count(*) AS accounts FROM accounts) n
     LEFT JOIN l t ON t.balance <> t.expected
     ORDER BY t.id`,
  );
  const accounts = Number(rows[0]?.accounts ?? 0);
  const mismatches = rows
    .filter((r) => r.id !== null)
    .map((r) => ({ accountId: r.id, balance: Number(r.balance), expected: Number(r.expected) }));
  return { accounts, mismatches };
}
