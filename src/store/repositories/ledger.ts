/**
 * The ledger: payments, adjustments and temporary credits, the statements (charges, payments, adjustments) and
 * the invariant check. Every write inserts its row, moves accounts.balance by the same amount and re-derives the
 * account's state in one transaction (docs/schema.md, invariants 1 and 2). The account row is locked first, so
 * writers of one account queue on it instead of deadlocking on the foreign-key locks their inserts take.
 */
import type { Page } from '../../domain/types.js';
import { DERIVED_STATE_SQL, rederiveAccountStates } from '../account-state.js';
import {
  StoreError,
  type Adjustment,
  type Charge,
  type ChargeKind,
  type Credit,
  type LedgerMismatch,
  type LedgerRepository,
  type PageRequest,
  type Payment,
  type PaymentInput,
  type PaymentResult,
  type Sql,
} from '../ports.js';
import { isoTime } from '../sql-values.js';
import { nonEmpty, pageRequest } from '../validate.js';

interface PaymentRow {
  id: number;
  account_id: number;
  amount: number;
  external_id: string;
  comment: string | null;
  created_at: Date;
}

interface AdjustmentRow {
  id: number;
  account_id: number;
  amount: number;
  reason: string;
  created_at: Date;
}

interface CreditRow {
  id: number;
  account_id: number;
  amount: number;
  expires_at: Date;
  reason: string;
  created_at: Date;
  active: boolean;
}

interface ChargeRow {
  id: number;
  account_id: number;
  kind: ChargeKind;
  amount: number;
  session_id: number | null;
  subscription_id: number | null;
  fee_day: string | null;
  comment: string | null;
  created_at: Date;
}

const PAYMENT_COLUMNS = 'id, account_id, amount, external_id, comment, created_at';
const ADJUSTMENT_COLUMNS = 'id, account_id, amount, reason, created_at';
const CREDIT_COLUMNS = 'id, account_id, amount, expires_at, reason, created_at, expires_at > now() AS active';
const CHARGE_COLUMNS = 'id, account_id, kind, amount, session_id, subscription_id, fee_day, comment, created_at';

const toPayment = (r: PaymentRow): Payment => ({
  id: r.id,
  accountId: r.account_id,
  amount: r.amount,
  externalId: r.external_id,
  comment: r.comment,
  createdAt: isoTime(r.created_at),
});

const toAdjustment = (r: AdjustmentRow): Adjustment => ({
  id: r.id,
  accountId: r.account_id,
  amount: r.amount,
  reason: r.reason,
  createdAt: isoTime(r.created_at),
});

const toCredit = (r: CreditRow): Credit => ({
  id: r.id,
  accountId: r.account_id,
  amount: r.amount,
  expiresAt: isoTime(r.expires_at),
  reason: r.reason,
  createdAt: isoTime(r.created_at),
  active: r.active,
});

const toCharge = (r: ChargeRow): Charge => ({
  id: r.id,
  accountId: r.account_id,
  kind: r.kind,
  amount: r.amount,
  sessionId: r.session_id,
  subscriptionId: r.subscription_id,
  feeDay: r.fee_day,
  comment: r.comment,
  createdAt: isoTime(r.created_at),
});

/*
 * verify(): one statement. The first row (id NULL) carries the number of accounts; the others are the
 * mismatches. Sums are computed per table and joined, so each money table is scanned once.
 */
const VERIFY = `WITH ledger AS (
    SELECT a.id, a.balance, coalesce(p.total, 0) + coalesce(j.total, 0) - coalesce(c.total, 0) AS expected
    FROM accounts a
    LEFT JOIN (SELECT account_id, sum(amount) AS total FROM payments GROUP BY account_id) p ON p.account_id = a.id
    LEFT JOIN (SELECT account_id, sum(amount) AS total FROM adjustments GROUP BY account_id) j ON j.account_id = a.id
    LEFT JOIN (SELECT account_id, sum(amount) AS total FROM charges GROUP BY account_id) c ON c.account_id = a.id
  )
  SELECT NULL::bigint AS id, NULL::bigint AS balance, NULL::numeric AS expected, count(*) AS accounts FROM ledger
  UNION ALL
  SELECT id, balance, expected, NULL FROM ledger WHERE balance <> expected
  ORDER BY id NULLS FIRST`;

/** How far back each expiry sweep looks before its previous run (a credit granted just as it expired). */
const SWEEP_OVERLAP = "interval '5 minutes'";

function fail(field: string, message: string): never {
  throw new RangeError(`${field}: ${message}`);
}

function positiveMoney(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) fail(field, `must be a positive integer number of minor units, got ${value}`);
  return value;
}

function nonZeroMoney(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value === 0) fail(field, `must be a non-zero integer number of minor units, got ${value}`);
  return value;
}

/** Locks the account row for the rest of the transaction; STORE_REFERENCE on `accountId` when there is none. */
async function lockAccount(tx: Sql, accountId: number): Promise<void> {
  const rows = await tx.query('SELECT id FROM accounts WHERE id = $1 FOR UPDATE', [accountId]);
  if (rows.length === 0) throw new StoreError('STORE_REFERENCE', `accountId refers to a row that does not exist (${accountId})`, 'accountId');
}

/** One page of an account's rows of `table`, newest first. */
async function statement<Row, T>(sql: Sql, table: string, columns: string, accountId: number, page: PageRequest, map: (r: Row) => T): Promise<Page<T>> {
  pageRequest(page.limit, page.offset);
  const [rows, totals] = await Promise.all([
    sql.query<Row>(`SELECT ${columns} FROM ${table} WHERE account_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`, [
      accountId,
      page.limit,
      page.offset,
    ]),
    sql.query<{ total: number }>(`SELECT count(*) AS total FROM ${table} WHERE account_id = $1`, [accountId]),
  ]);
  return { items: rows.map(map), total: totals[0]?.total ?? 0, limit: page.limit, offset: page.offset };
}

export function ledgerRepository(sql: Sql): LedgerRepository {
  // The database time of the previous expiry sweep of this instance (null: none yet, look at every credit).
  let lastSweep: Date | null = null;

  async function existingPayment(externalId: string): Promise<Payment | undefined> {
    const [row] = await sql.query<PaymentRow>(`SELECT ${PAYMENT_COLUMNS} FROM payments WHERE external_id = $1`, [externalId]);
    return row && toPayment(row);
  }

  /** A redelivery of `existing`, or a conflict when the same externalId comes with another account or amount. */
  function replay(existing: Payment, input: PaymentInput): PaymentResult {
    if (existing.accountId !== input.accountId || existing.amount !== input.amount) {
      throw new StoreError(
        'STORE_CONFLICT',
        `externalId ${JSON.stringify(input.externalId)} is already used by payment ${existing.id} (account ${existing.accountId}, amount ${existing.amount})`,
        'externalId',
      );
    }
    return { payment: existing, created: false };
  }

  return {
    async pay(input) {
      positiveMoney('amount', input.amount);
      nonEmpty('externalId', input.externalId);
      const before = await existingPayment(input.externalId);
      if (before) return replay(before, input);
      let result: PaymentResult | undefined;
      try {
        result = await sql.transaction(async (tx) => {
          await lockAccount(tx, input.accountId);
          // A concurrent payment with the same externalId: this INSERT waits for it, then inserts nothing.
          const [row] = await tx.query<PaymentRow>(
            `INSERT INTO payments (account_id, amount, external_id, comment) VALUES ($1, $2, $3, $4)
             ON CONFLICT (external_id) DO NOTHING RETURNING ${PAYMENT_COLUMNS}`,
            [input.accountId, input.amount, input.externalId, input.comment ?? null],
          );
          if (!row) return undefined;
          await tx.query('UPDATE accounts SET balance = balance + $2 WHERE id = $1', [input.accountId, input.amount]);
          await rederiveAccountStates(tx, [input.accountId], 'payment');
          return { payment: toPayment(row), created: true };
        });
      } catch (err) {
        // Belt and braces: a unique violation on external_id is the same race, answered by re-reading.
        if (!(err instanceof StoreError && err.code === 'STORE_CONFLICT' && err.field === 'externalId')) throw err;
      }
      if (result) return result;
      const after = await existingPayment(input.externalId);
      if (!after) throw new StoreError('STORE_CONFLICT', `payment ${JSON.stringify(input.externalId)} conflicted but cannot be read back; retry`, 'externalId');
      return replay(after, input);
    },

    async adjust(input) {
      nonZeroMoney('amount', input.amount);
      nonEmpty('reason', input.reason);
      return sql.transaction(async (tx) => {
        await lockAccount(tx, input.accountId);
        const [row] = await tx.query<AdjustmentRow>(
          `INSERT INTO adjustments (account_id, amount, reason) VALUES ($1, $2, $3) RETURNING ${ADJUSTMENT_COLUMNS}`,
          [input.accountId, input.amount, input.reason],
        );
        await tx.query('UPDATE accounts SET balance = balance + $2 WHERE id = $1', [input.accountId, input.amount]);
        await rederiveAccountStates(tx, [input.accountId], 'adjustment');
        return toAdjustment(row!);
      });
    },

    async grantCredit(input) {
      positiveMoney('amount', input.amount);
      nonEmpty('reason', input.reason);
      const expires = Date.parse(input.expiresAt);
      if (Number.isNaN(expires)) fail('expiresAt', `must be an ISO-8601 timestamp, got ${input.expiresAt}`);
      return sql.transaction(async (tx) => {
        await lockAccount(tx, input.accountId);
        const [row] = await tx.query<CreditRow>(
          `INSERT INTO credits (account_id, amount, expires_at, reason) VALUES ($1, $2, $3::timestamptz, $4) RETURNING ${CREDIT_COLUMNS}`,
          [input.accountId, input.amount, new Date(expires).toISOString(), input.reason],
        );
        if (!row!.active) fail('expiresAt', `must be in the future, got ${input.expiresAt}`);
        await rederiveAccountStates(tx, [input.accountId], 'credit');
        return toCredit(row!);
      });
    },

    async listCredits(accountId) {
      const rows = await sql.query<CreditRow>(`SELECT ${CREDIT_COLUMNS} FROM credits WHERE account_id = $1 ORDER BY created_at DESC, id DESC`, [accountId]);
      return rows.map(toCredit);
    },

    charges: (accountId, page) => statement(sql, 'charges', CHARGE_COLUMNS, accountId, page, toCharge),
    payments: (accountId, page) => statement(sql, 'payments', PAYMENT_COLUMNS, accountId, page, toPayment),
    adjustments: (accountId, page) => statement(sql, 'adjustments', ADJUSTMENT_COLUMNS, accountId, page, toAdjustment),

    async verify() {
      const rows = await sql.query<{ id: number | null; balance: number | null; expected: number | null; accounts: number | null }>(VERIFY);
      const mismatches: LedgerMismatch[] = [];
      let accounts = 0;
      for (const r of rows) {
        if (r.id === null) accounts = r.accounts ?? 0;
        else mismatches.push({ accountId: r.id, balance: r.balance ?? 0, expected: r.expected ?? 0 });
      }
      return { accounts, mismatches };
    },

    async expireCredits() {
      const { now, changed } = await sql.transaction(async (tx) => {
        const [clock] = await tx.query<{ now: Date }>('SELECT now() AS now');
        // Only accounts an expiry can move: active now, blocked by the derivation without the expired credit.
        const candidates = await tx.query<{ id: number }>(
          `SELECT a.id FROM accounts a
           WHERE a.state = 'active'
             AND EXISTS (SELECT 1 FROM credits c WHERE c.account_id = a.id AND c.expires_at <= now()
                         AND ($1::timestamptz IS NULL OR c.expires_at > $1::timestamptz - ${SWEEP_OVERLAP}))
             AND ${DERIVED_STATE_SQL} = 'blocked'
           ORDER BY a.id`,
          [lastSweep?.toISOString() ?? null],
        );
        const states = await rederiveAccountStates(
          tx,
          candidates.map((c) => c.id),
          'credit_expired',
        );
        return { now: clock!.now, changed: states.map((s) => s.accountId) };
      });
      lastSweep = now;
      return changed;
    },
  };
}
