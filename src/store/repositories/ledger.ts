/**
 * The ledger: payments, adjustments and temporary credits, the statements (charges, payments, adjustments) and
 * the invariant check. Every write inserts its row, moves accounts.balance by the same amount and re-derives the
 * account's state in one transaction (docs/schema.md, invariants 1 and 2). The account row is locked first, so
 * writers of one account queue on it instead of deadlocking on the foreign-key locks their inserts take, and the
 * money bounds (±10^15 minor units for amounts, the resulting balance and the active credit) are checked in that
 * same transaction (src/store/money.ts). Readers clamp legacy values beyond ±(2^53 − 1) instead of failing.
 */
import type { Page } from '../../domain/types.js';
import { DERIVED_STATE_SQL, rederiveAccountStates } from '../account-state.js';
import { StoreError, type Adjustment, type Charge, type ChargeKind, type Credit, type JournalCheck, type LedgerMismatch, type LedgerRepository, type PageRequest, type Payment, type PaymentInput, type PaymentResult, type SessionChargeMismatch, type SessionTimeMismatch, type UsageTrafficMismatch, type VerifyList } from '../../domain/ports.js';
import type { Sql } from '../sql.js';
import { boundedAmount, clampedSql, MONEY_LIMIT, outOfRange, withinMoneyLimit } from '../money.js';
import { isoTime } from '../sql-values.js';
import { nonEmpty, pageRequest } from '../validate.js';

interface OperatorColumns {
  operator_id: number | null;
  operator_login: string | null;
}

interface PaymentRow extends OperatorColumns {
  id: number;
  account_id: number;
  amount: number;
  external_id: string;
  comment: string | null;
  created_at: Date;
}

interface AdjustmentRow extends OperatorColumns {
  id: number;
  account_id: number;
  amount: number;
  reason: string;
  created_at: Date;
}

interface CreditRow extends OperatorColumns {
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

// Amounts are read clamped: a legacy row beyond 2^53 must not make a whole statement fail.
const AMOUNT = `${clampedSql('amount')} AS amount`;
// Who made the row: its operator's login (a scalar sub-select, so it works in RETURNING too).
const OPERATOR = 'operator_id, (SELECT o.login FROM operators o WHERE o.id = operator_id) AS operator_login';
const PAYMENT_COLUMNS = `id, account_id, ${AMOUNT}, external_id, comment, created_at, ${OPERATOR}`;
const ADJUSTMENT_COLUMNS = `id, account_id, ${AMOUNT}, reason, created_at, ${OPERATOR}`;
const CREDIT_COLUMNS = `id, account_id, ${AMOUNT}, expires_at, reason, created_at, expires_at > now() AS active, ${OPERATOR}`;
const CHARGE_COLUMNS = `id, account_id, kind, ${AMOUNT}, session_id, subscription_id, fee_day, comment, created_at`;

const toPayment = (r: PaymentRow): Payment => ({
  id: r.id,
  accountId: r.account_id,
  amount: r.amount,
  externalId: r.external_id,
  comment: r.comment,
  createdAt: isoTime(r.created_at),
  operatorId: r.operator_id,
  operatorLogin: r.operator_login,
});

const toAdjustment = (r: AdjustmentRow): Adjustment => ({
  id: r.id,
  accountId: r.account_id,
  amount: r.amount,
  reason: r.reason,
  createdAt: isoTime(r.created_at),
  operatorId: r.operator_id,
  operatorLogin: r.operator_login,
});

const toCredit = (r: CreditRow): Credit => ({
  id: r.id,
  accountId: r.account_id,
  amount: r.amount,
  expiresAt: isoTime(r.expires_at),
  reason: r.reason,
  createdAt: isoTime(r.created_at),
  active: r.active,
  operatorId: r.operator_id,
  operatorLogin: r.operator_login,
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
 * verify(), the ledger: one statement. The first row (id NULL) carries the number of accounts; the others are the
 * mismatches. Sums are computed per table and joined, so each money table is scanned once. The comparison is
 * exact (numeric); only the values reported are clamped.
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
  SELECT id, ${clampedSql('balance')}, ${clampedSql('expected')}, NULL FROM ledger WHERE balance <> expected
  ORDER BY id NULLS FIRST`;

/** The longest list verify() returns per class of problem (the count is always complete). */
export const VERIFY_LIST_LIMIT = 1000;

/*
 * Each session's traffic and time charges against its charged_* columns, one row per (session, kind) that
 * differs; `total` (a window count before LIMIT) is how many there are in all.
 */
const VERIFY_SESSION_CHARGES = `WITH c AS (
    SELECT session_id,
           coalesce(sum(amount) FILTER (WHERE kind = 'traffic'), 0) AS traffic,
           coalesce(sum(amount) FILTER (WHERE kind = 'time'), 0) AS time
    FROM charges WHERE session_id IS NOT NULL AND kind IN ('traffic', 'time') GROUP BY session_id
  )
  SELECT s.id, s.account_id, k.kind, ${clampedSql('k.charged')} AS charged, ${clampedSql('k.charges')} AS charges, count(*) OVER () AS total
  FROM sessions s
  LEFT JOIN c ON c.session_id = s.id
  CROSS JOIN LATERAL (VALUES ('traffic', s.charged_traffic::numeric, coalesce(c.traffic, 0)),
                             ('time', s.charged_time::numeric, coalesce(c.time, 0))) AS k (kind, charged, charges)
  WHERE k.charged <> k.charges
  ORDER BY s.id, k.kind DESC
  LIMIT ${VERIFY_LIST_LIMIT}`;

// div() is exact integer division (floor for the non-negative values here); numeric '/' would round huge values.
const EXPECTED_TIME = 'div(s.rated_seconds::numeric * coalesce(t.price_per_minute, 0), 60)';
const EXPECTED_TRAFFIC = 'div(greatest(u.octets - coalesce(t.included_bytes, 0), 0)::numeric * coalesce(t.price_per_gb, 0), 1000000000)';

/*
 * The tariff checks compare with the subscriber's current tariff, so they look only at sessions and months that
 * began after the last change of the subscriber and of its tariff: one rated under an earlier price is no fault.
 */
/** Sessions of a known subscriber whose charged_time is not the cumulative floor under the current tariff. */
const VERIFY_SESSION_TIME = `SELECT s.id, s.subscriber_id, ${clampedSql('s.rated_seconds')} AS rated_seconds,
    ${clampedSql('coalesce(t.price_per_minute, 0)')} AS price_per_minute, ${clampedSql('s.charged_time')} AS charged_time,
    ${clampedSql(EXPECTED_TIME)} AS expected, count(*) OVER () AS total
  FROM sessions s
  JOIN subscribers sub ON sub.id = s.subscriber_id
  LEFT JOIN tariffs t ON t.id = sub.tariff_id
  WHERE s.charged_time <> ${EXPECTED_TIME}
    AND sub.updated_at <= s.started_at AND (t.id IS NULL OR t.updated_at <= s.started_at)
  ORDER BY s.id
  LIMIT ${VERIFY_LIST_LIMIT}`;

/** Usage months whose charged_traffic is not the cumulative floor of their octets under the current tariff. */
const VERIFY_USAGE_TRAFFIC = `SELECT u.subscriber_id, u.month::text AS month, ${clampedSql('u.octets')} AS octets,
    ${clampedSql('coalesce(t.included_bytes, 0)')} AS included_bytes, ${clampedSql('coalesce(t.price_per_gb, 0)')} AS price_per_gb,
    ${clampedSql('u.charged_traffic')} AS charged_traffic, ${clampedSql(EXPECTED_TRAFFIC)} AS expected, count(*) OVER () AS total
  FROM usage_monthly u
  JOIN subscribers sub ON sub.id = u.subscriber_id
  LEFT JOIN tariffs t ON t.id = sub.tariff_id
  WHERE u.charged_traffic <> ${EXPECTED_TRAFFIC}
    AND sub.updated_at <= u.month AND (t.id IS NULL OR t.updated_at <= u.month)
  ORDER BY u.subscriber_id, u.month
  LIMIT ${VERIFY_LIST_LIMIT}`;

/** A journal row older than this was not rated in time (the rater takes rows within seconds). */
const STRANDED_AFTER = "interval '5 minutes'";

/** What was checked, and the journal's stranded and rejected rows. */
const VERIFY_COUNTS = `SELECT (SELECT count(*) FROM sessions) AS sessions, (SELECT count(*) FROM usage_monthly) AS usage_months,
    j.stranded, j.oldest, (SELECT count(*) FROM accounting_journal_rejected) AS rejected
  FROM (SELECT count(*) AS stranded, floor(extract(epoch FROM now() - min(received_at)))::bigint AS oldest
        FROM accounting_journal WHERE received_at < now() - ${STRANDED_AFTER}) j`;

function verifyList<Row extends { total: number }, T>(rows: readonly Row[], map: (r: Row) => T): VerifyList<T> {
  return { count: rows[0]?.total ?? 0, items: rows.map(map) };
}

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

/**
 * Adds `amount` to the (locked) account's balance unless the result would leave ±10^15: then STORE_OUT_OF_RANGE
 * on `amount`, and the caller's transaction rolls back. The bound is compared in numeric, so a legacy balance
 * near the bigint limit cannot overflow the addition.
 */
async function moveBalance(tx: Sql, accountId: number, amount: number): Promise<void> {
  const moved = await tx.query(
    `UPDATE accounts SET balance = balance + $2::bigint WHERE id = $1 AND abs(balance::numeric + $2::bigint) <= ${MONEY_LIMIT} RETURNING id`,
    [accountId, amount],
  );
  if (moved.length > 0) return;
  const [row] = await tx.query<{ after: string }>('SELECT (balance::numeric + $2::bigint)::text AS after FROM accounts WHERE id = $1', [accountId, amount]);
  throw outOfRange('amount', `amount ${amount} would make the balance of account ${accountId} ${row?.after ?? 'out of range'}`);
}

/** The (locked) account's unexpired credits in all must stay within 10^15, like a balance. */
async function checkActiveCredit(tx: Sql, accountId: number, amount: number): Promise<void> {
  const [row] = await tx.query<{ total: string }>(
    'SELECT coalesce(sum(amount), 0)::text AS total FROM credits WHERE account_id = $1 AND expires_at > now()',
    [accountId],
  );
  const total = row?.total ?? '0';
  if (!withinMoneyLimit(total)) throw outOfRange('amount', `amount ${amount} would make the active credit of account ${accountId} ${total}`);
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
    async pay(original) {
      positiveMoney('amount', original.amount);
      boundedAmount('amount', original.amount);
      // A payment system's id with stray whitespace is the same id: trimmed, so a redelivery stays idempotent.
      const input = { ...original, externalId: nonEmpty('externalId', original.externalId.trim()) };
      const before = await existingPayment(input.externalId);
      if (before) return replay(before, input);
      let result: PaymentResult | undefined;
      try {
        result = await sql.transaction(async (tx) => {
          await lockAccount(tx, input.accountId);
          // A concurrent payment with the same externalId: this INSERT waits for it, then inserts nothing.
          const [row] = await tx.query<PaymentRow>(
            `INSERT INTO payments (account_id, amount, external_id, comment, operator_id) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (external_id) DO NOTHING RETURNING ${PAYMENT_COLUMNS}`,
            [input.accountId, input.amount, input.externalId, input.comment ?? null, input.operatorId ?? null],
          );
          if (!row) return undefined;
          await moveBalance(tx, input.accountId, input.amount);
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
      boundedAmount('amount', input.amount);
      nonEmpty('reason', input.reason);
      return sql.transaction(async (tx) => {
        await lockAccount(tx, input.accountId);
        const [row] = await tx.query<AdjustmentRow>(
          `INSERT INTO adjustments (account_id, amount, reason, operator_id) VALUES ($1, $2, $3, $4) RETURNING ${ADJUSTMENT_COLUMNS}`,
          [input.accountId, input.amount, input.reason, input.operatorId ?? null],
        );
        await moveBalance(tx, input.accountId, input.amount);
        await rederiveAccountStates(tx, [input.accountId], 'adjustment');
        return toAdjustment(row!);
      });
    },

    async grantCredit(input) {
      positiveMoney('amount', input.amount);
      boundedAmount('amount', input.amount);
      nonEmpty('reason', input.reason);
      const expires = Date.parse(input.expiresAt);
      if (Number.isNaN(expires)) fail('expiresAt', `must be an ISO-8601 timestamp, got ${input.expiresAt}`);
      return sql.transaction(async (tx) => {
        await lockAccount(tx, input.accountId);
        const [row] = await tx.query<CreditRow>(
          `INSERT INTO credits (account_id, amount, expires_at, reason, operator_id) VALUES ($1, $2, $3::timestamptz, $4, $5) RETURNING ${CREDIT_COLUMNS}`,
          [input.accountId, input.amount, new Date(expires).toISOString(), input.reason, input.operatorId ?? null],
        );
        if (!row!.active) fail('expiresAt', `must be in the future, got ${input.expiresAt}`);
        await checkActiveCredit(tx, input.accountId, input.amount);
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
      const charges = await sql.query<{ id: number; account_id: number | null; kind: 'traffic' | 'time'; charged: number; charges: number; total: number }>(VERIFY_SESSION_CHARGES);
      const sessionCharges = verifyList(charges, (r): SessionChargeMismatch => ({ sessionId: r.id, accountId: r.account_id, kind: r.kind, charged: r.charged, charges: r.charges }));
      const times = await sql.query<{ id: number; subscriber_id: number; rated_seconds: number; price_per_minute: number; charged_time: number; expected: number; total: number }>(VERIFY_SESSION_TIME);
      const sessionTime = verifyList(times, (r): SessionTimeMismatch => ({
        sessionId: r.id,
        subscriberId: r.subscriber_id,
        ratedSeconds: r.rated_seconds,
        pricePerMinute: r.price_per_minute,
        chargedTime: r.charged_time,
        expected: r.expected,
      }));
      const months = await sql.query<{ subscriber_id: number; month: string; octets: number; included_bytes: number; price_per_gb: number; charged_traffic: number; expected: number; total: number }>(VERIFY_USAGE_TRAFFIC);
      const usageTraffic = verifyList(months, (r): UsageTrafficMismatch => ({
        subscriberId: r.subscriber_id,
        month: r.month,
        octets: r.octets,
        includedBytes: r.included_bytes,
        pricePerGB: r.price_per_gb,
        chargedTraffic: r.charged_traffic,
        expected: r.expected,
      }));
      const [counts] = await sql.query<{ sessions: number; usage_months: number; stranded: number; oldest: number | null; rejected: number }>(VERIFY_COUNTS);
      const journal: JournalCheck = { stranded: counts?.stranded ?? 0, oldestStrandedSeconds: counts?.oldest ?? null, rejected: counts?.rejected ?? 0 };
      const problems = mismatches.length + sessionCharges.count + sessionTime.count + usageTraffic.count + journal.stranded + journal.rejected;
      return { accounts, mismatches, sessions: counts?.sessions ?? 0, sessionCharges, sessionTime, usageMonths: counts?.usage_months ?? 0, usageTraffic, journal, problems };
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
