/**
 * Daily monthly-fee charges (docs/schema.md, "subscriptions" and "Daily fees"). Day d of a month of D days charges
 * floor(fee × d / D) − floor(fee × (d − 1) / D) (rating.ts dailyFee), so a month active throughout sums to the
 * fee exactly (docs/design.md invariant 1). A run of one day is set-based: per chunk of accounts one transaction that
 * locks the accounts in id order, inserts every due charge with one INSERT … SELECT … ON CONFLICT DO NOTHING,
 * moves each balance by what was inserted (invariant 2), and re-derives the touched accounts' states.
 * UNIQUE (subscription_id, fee_day) makes it exactly-once, whatever the number of runs or instances.
 */
import { rederiveAccountStates, type AccountStateChange } from '../store/account-state.js';
import type { Sql } from '../domain/ports.js';
import { dailyFee } from './rating.js';

/**
 * Advisory-lock key serialising fee chunks against subscription changes: a fee chunk takes it exclusively, a
 * subscription change (subscribers repository) shared. So a chunk's INSERT … SELECT never reads a subscription
 * that a concurrent tariff change is ending, and a change sees every charge committed before it.
 */
export const FEE_SUBSCRIPTIONS_LOCK_KEY = 0x746f_6c6c_6665;
/** Advisory-lock key a fee chunk tries first: held by another session = another instance is charging. */
export const FEE_RUN_LOCK_KEY = 0x746f_6c6c_6672;

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** [year, month 1-12, day 1-31] of a 'YYYY-MM-DD' calendar day; RangeError when it is not a real date. */
export function parseDay(day: string): [number, number, number] {
  const m = DAY_RE.exec(day);
  if (!m) throw new RangeError(`day must be YYYY-MM-DD, got ${JSON.stringify(day)}`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) throw new RangeError(`no such day ${day}`);
  return [y, mo, d];
}

/** Days of month `month` (1-12) of `year` (proleptic Gregorian). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function formatDay(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The calendar day `n` days after `day` (negative: before). Pure date arithmetic, no time zone involved. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = parseDay(day);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return formatDay(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** Throws RangeError unless `timeZone` is an IANA zone Intl knows; returns it. */
export function checkTimeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new RangeError(`unknown time zone ${JSON.stringify(timeZone)}`);
  }
  return timeZone;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar day ('YYYY-MM-DD') of `instant` in `timeZone` (IANA, e.g. 'UTC', 'Asia/Vladivostok'). */
export function dayInTimeZone(instant: Date, timeZone = 'UTC'): string {
  let f = formatters.get(timeZone);
  if (!f) {
    checkTimeZone(timeZone);
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', calendar: 'gregory', numberingSystem: 'latn' });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(instant).map((p) => [p.type, p.value]));
  return formatDay(Number(parts.year), Number(parts.month), Number(parts.day));
}

/** The fee of calendar day `day` for a monthly fee (rating.ts dailyFee on the day's month). */
export function feeForDay(monthlyFee: bigint | number, day: string): bigint {
  const [y, m, d] = parseDay(day);
  return dailyFee(monthlyFee, d, daysInMonth(y, m));
}

export interface ChargeDailyFeesOptions {
  /** Subscriptions per transaction (default 20 000); the chunk ends at an account boundary. */
  readonly chunkSize?: number;
  /**
   * true (the scheduler): when another session holds FEE_RUN_LOCK_KEY (another instance is charging), stop and
   * return `busy: true` instead of trailing it chunk by chunk. Correctness never depends on it.
   */
  readonly yieldToOtherRun?: boolean;
}

export interface ChargeDailyFeesResult {
  /** Charges inserted by this call. */
  readonly charged: number;
  /** Their sum, minor units. */
  readonly amount: number;
  /** Accounts whose state (active/blocked) changed. */
  readonly accountStateChanges: AccountStateChange[];
  /** Stopped early because another instance was charging (only with `yieldToOtherRun`). */
  readonly busy: boolean;
}

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
  RETURNING a.id, p.n, p.total, a.state = 'active' AND a.balance + a.credit_limit < 0 AS may_block`;

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
export async function chargeDailyFees(sql: Sql, day: string, options: ChargeDailyFeesOptions = {}): Promise<ChargeDailyFeesResult> {
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
      // Accounts first, in id order (as ledger.ts and the accounting writer do), then the rows that move them.
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
