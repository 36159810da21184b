/**
 * Daily monthly-fee charges (docs/schema.md, "subscriptions" and "Daily fees"). Day d of a month of D days charges
 * floor(fee × d / D) − floor(fee × (d − 1) / D) (billing/core/rating.ts dailyFee), so a month active throughout
 * sums to the fee exactly (docs/design.md invariant 1). A run of one day is set-based: per chunk of accounts one
 * transaction that locks the accounts in id order, inserts every due charge with one INSERT … SELECT … ON CONFLICT DO NOTHING,
 * moves each balance by what was inserted (invariant 2), and re-derives the touched accounts' states.
 * UNIQUE (subscription_id, fee_day) makes it exactly-once, whatever the number of runs or instances.
 */
import { PERMANENT_ALLOWANCE_SQL, rederiveAccountStates } from '../account-state.js';
import type { AccountStateChange } from '../../domain/accounting.js';
import type { FeeDayCharges, FeeDayOptions, FeeRunStore } from '../../domain/ports.js';
import type { Sql } from '../sql.js';
import { daysInMonth, parseDay } from '../../billing/core/calendar.js';
import { FEE_RUN_LOCK_KEY, FEE_SUBSCRIPTIONS_LOCK_KEY } from './fee-locks.js';
import { applyTariffChange, dueTariffChanges } from './tariff-changes.js';

export { FEE_RUN_LOCK_KEY, FEE_SUBSCRIPTIONS_LOCK_KEY } from './fee-locks.js';

// The subscriptions due on $1 of accounts in ($2, $3], with their fee: $4 = day of month d, $5 = days in month D.
const DUE = /* sql */ `
  SELECT s.id AS subscription_id, s.account_id,
         (t.monthly_fee * $4::bigint) / $5::bigint - (t.monthly_fee * ($4::bigint - 1)) / $5::bigint AS amount
  FROM subscriptions s
  JOIN tariffs t ON t.id = s.tariff_id
  WHERE s.account_id > $2 AND s.account_id <= $3
    AND s.activated_on <= $1::date AND (s.ends_on IS NULL OR s.ends_on >= $1::date)
    AND t.monthly_fee > 0`;

const LOCK_ACCOUNTS = /* sql */ `
  SELECT a.id FROM accounts a
  WHERE a.id > $2 AND a.id <= $3 AND a.id IN (
    SELECT due.account_id FROM (${DUE}) due
    WHERE due.amount > 0
      AND NOT EXISTS (SELECT 1 FROM charges c WHERE c.subscription_id = due.subscription_id AND c.fee_day = $1::date)
  )
  ORDER BY a.id FOR UPDATE`;

const CHARGE = /* sql */ `
  WITH inserted AS (
    INSERT INTO charges (account_id, kind, subscription_id, fee_day, amount)
    SELECT due.account_id, 'fee', due.subscription_id, $1::date, due.amount FROM (${DUE}) due WHERE due.amount > 0
    ON CONFLICT (subscription_id, fee_day) DO NOTHING
    RETURNING account_id, amount
  ), per_account AS (
    SELECT account_id, count(*)::bigint AS n, sum(amount)::bigint AS total FROM inserted GROUP BY account_id
  )
  UPDATE accounts a SET balance = a.balance - p.total
  FROM per_account p WHERE a.id = p.account_id AND a.id > $2 AND a.id <= $3
  RETURNING a.id, p.n, p.total, a.state = 'active' AND ${PERMANENT_ALLOWANCE_SQL} < 0 AS may_block`;

// The last account id of the next chunk: the account of the chunkSize-th due subscription after $2.
const NEXT_BOUNDARY = /* sql */ `
  SELECT max(account_id) AS hi FROM (
    SELECT s.account_id FROM subscriptions s
    WHERE s.account_id > $2 AND s.activated_on <= $1::date AND (s.ends_on IS NULL OR s.ends_on >= $1::date)
    ORDER BY s.account_id LIMIT $3
  ) t`;

/**
 * Charges the fee of calendar `day` ('YYYY-MM-DD', a day of the fee time zone) to every subscription active on
 * it. Idempotent: a second run of the same day, also a concurrent one on another instance, inserts nothing.
 *
 * @example
 * const { charged, amount, accountStateChanges } = await chargeDailyFees(sql, '2030-03-01');
 */
export async function chargeDailyFees(sql: Sql, day: string, options: FeeDayOptions = {}): Promise<FeeDayCharges> {
  const [y, m, d] = parseDay(day);
  const days = daysInMonth(y, m);
  const chunkSize = options.chunkSize ?? 20_000;
  if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
  let charged = 0;
  let amount = 0;
  const accountStateChanges: AccountStateChange[] = [];
  let lo = 0;
  for (;;) {
    const [boundary] = await sql.query<{ hi: number | null }>(NEXT_BOUNDARY, [day, lo, chunkSize]);
    const hi = boundary?.hi ?? null;
    if (hi === null) break;
    const chunk = await sql.transaction(async (tx) => {
      if (options.yieldToOtherRun) {
        const [got] = await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [FEE_RUN_LOCK_KEY]);
        if (!got?.ok) return undefined;
      }
      await tx.query('SELECT pg_advisory_xact_lock($1)', [FEE_SUBSCRIPTIONS_LOCK_KEY]);
      const params = [day, lo, hi, d, days];
      // Accounts first, in id order (as ledger.ts and the rating do), then the rows that move them.
      await tx.query(LOCK_ACCOUNTS, params);
      const rows = await tx.query<{ id: number; n: number; total: number; may_block: boolean }>(CHARGE, params);
      // A charge only lowers a balance, so only an active account now below its credit limit can change state
      // (unexpired credits may still keep it active: rederive decides). Every other touched account keeps its
      // state by invariant 2, so re-deriving it would only cost time.
      const changes = await rederiveAccountStates(
        tx,
        rows.filter((r) => r.may_block).map((r) => r.id),
        'charge',
      );
      return { rows, changes };
    });
    if (!chunk) return { charged, amount, accountStateChanges, busy: true };
    for (const r of chunk.rows) {
      charged += r.n;
      amount += r.total;
    }
    accountStateChanges.push(...chunk.changes);
    lo = hi;
  }
  return { charged, amount, accountStateChanges, busy: false };
}

/**
 * The fee run's rows on `sql` (fee_runs, and the charges of chargeDailyFees), for the fee scheduler
 * (billing/fee-scheduler.ts). Not wrapped in StoreErrors: the scheduler logs the driver's error and retries.
 */
export function feeRunRepository(sql: Sql): FeeRunStore {
  return {
    async lastRunDay() {
      const [last] = await sql.query<{ day: string | null }>('SELECT max(day) AS day FROM fee_runs');
      return last?.day ?? null;
    },
    async earliestActivation() {
      const [first] = await sql.query<{ day: string | null }>('SELECT min(activated_on) AS day FROM subscriptions');
      return first?.day ?? null;
    },
    chargeDay: (day, options) => chargeDailyFees(sql, day, options),
    async recordRun(day, charged, amount) {
      await sql.query(
        `INSERT INTO fee_runs (day, charged, amount, finished_at) VALUES ($1::date, $2, $3, now())
         ON CONFLICT (day) DO UPDATE SET charged = fee_runs.charged + EXCLUDED.charged,
           amount = fee_runs.amount + EXCLUDED.amount, finished_at = EXCLUDED.finished_at`,
        [day, charged, amount],
      );
    },
    dueTariffChanges: (day) => dueTariffChanges(sql, day),
    applyTariffChange: (id, day) => applyTariffChange(sql, id, day),
  };
}
