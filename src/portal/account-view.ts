/**
 * What the portal and the widget show, read from the store: the subscriber whose open session holds an address,
 * and one account's statement (balance and credit, tariff, subscriptions, the charges of this month and last
 * month, payments, corrections). Read-only; money stays integer minor units until it is rendered. Sums and
 * amounts are read clamped to ±(2^53 − 1) (src/store/money.ts), so a legacy row beyond that renders instead of
 * failing the page.
 */
import type { Account, Subscriber, SubscriberStatus, Tariff } from '../domain/types.js';
import type { Adjustment, ChargeKind, Credit, Payment, Session, Sql, Store } from '../domain/ports.js';
import { clampedSql } from '../store/money.js';
import { isoTime } from '../store/sql-values.js';
import { allowance } from '../billing/core/allowance.js';
import { currentAndPreviousMonth, dayInTimeZone, type MonthPeriod } from '../billing/core/calendar.js';

/** The session that owns an address now, its subscriber and account. */
export interface PortalSubject {
  readonly session: Session;
  readonly subscriber: Subscriber;
  readonly account: Account;
}

/**
 * The subscriber whose open session holds `address` now (the newest such session), or undefined: no session,
 * or a session whose subscriber or account no longer exists.
 */
export async function locateByAddress(store: Store, address: string, now = new Date()): Promise<PortalSubject | undefined> {
  const sessions = await store.sessions.byIpAt(address, now);
  const session = sessions.find((s) => s.stoppedAt === null);
  if (!session) return undefined;
  let subscriber = session.subscriberId === null ? undefined : await store.subscribers.get(session.subscriberId);
  if (!subscriber) {
    const page = await store.subscribers.list({ limit: 1, offset: 0 }, { username: session.username });
    subscriber = page.items[0];
  }
  if (!subscriber) return undefined;
  const account = await store.accounts.get(subscriber.accountId);
  return account ? { session, subscriber, account } : undefined;
}

export interface SubscriptionLine {
  readonly id: number;
  readonly tariffName: string;
  readonly monthlyFee: number;
  readonly downKbps: number;
  readonly upKbps: number;
  /** YYYY-MM-DD, a day of the fee time zone. */
  readonly activatedOn: string;
  readonly endsOn: string | null;
  /** Whose subscription it is (null when the subscriber was deleted). */
  readonly subscriberId: number | null;
}

/** Charges grouped for reading: a session's traffic or time charges in one line, fees and one-offs one by one. */
export interface ChargeLine {
  readonly kind: ChargeKind;
  readonly amount: number;
  /** Charges summed into the line. */
  readonly count: number;
  readonly firstAt: string;
  readonly lastAt: string;
  readonly sessionId: number | null;
  readonly acctSessionId: string | null;
  readonly feeDay: string | null;
  readonly tariffName: string | null;
  readonly comment: string | null;
}

export interface MonthCharges {
  /** YYYY-MM of the fee time zone. */
  readonly month: string;
  readonly from: string;
  readonly to: string;
  /** Σ amount of every charge of the month (not only the lines shown). */
  readonly total: number;
  readonly lines: readonly ChargeLine[];
  /** More lines exist than are shown. */
  readonly truncated: boolean;
}

export interface AccountStatement {
  readonly subscriber: Subscriber;
  readonly account: Account;
  readonly tariff: Tariff | null;
  readonly subscriptions: readonly SubscriptionLine[];
  /** Unexpired temporary credits, newest first. */
  readonly credits: readonly Credit[];
  readonly thisMonth: MonthCharges;
  readonly lastMonth: MonthCharges;
  readonly payments: readonly Payment[];
  readonly adjustments: readonly Adjustment[];
}

export interface StatementOptions {
  /** IANA zone of the fee calendar (fees.timeZone): months and subscription days are its. */
  readonly timeZone: string;
  /** Lines shown per month (default 200). */
  readonly maxLines?: number;
  readonly now?: Date;
}

interface ChargeLineRow {
  kind: ChargeKind;
  amount: number;
  n: number;
  first_at: Date;
  last_at: Date;
  session_id: number | null;
  acct_session_id: string | null;
  fee_day: string | null;
  tariff_name: string | null;
  comment: string | null;
}

// A session's charges of a month group into one line; anything without a session stays a line of its own.
const CHARGE_LINES = `
SELECT c.kind, ${clampedSql('sum(c.amount)')} AS amount, count(*) AS n, min(c.created_at) AS first_at, max(c.created_at) AS last_at,
       c.session_id, min(s.acct_session_id) AS acct_session_id, min(c.fee_day::text) AS fee_day,
       min(t.name) AS tariff_name, min(c.comment) AS comment
FROM charges c
LEFT JOIN sessions s ON s.id = c.session_id
LEFT JOIN subscriptions sub ON sub.id = c.subscription_id
LEFT JOIN tariffs t ON t.id = sub.tariff_id
WHERE c.account_id = $1 AND c.created_at >= $2::timestamptz AND c.created_at < $3::timestamptz
GROUP BY c.kind, c.session_id, CASE WHEN c.session_id IS NULL THEN c.id END
ORDER BY max(c.created_at) DESC, min(c.id) DESC
LIMIT $4`;

const MONTH_TOTAL = `SELECT ${clampedSql('coalesce(sum(amount), 0)')} AS total FROM charges
WHERE account_id = $1 AND created_at >= $2::timestamptz AND created_at < $3::timestamptz`;

const SUBSCRIPTIONS = `
SELECT sub.id, sub.activated_on::text AS activated_on, sub.ends_on::text AS ends_on, sub.subscriber_id,
       t.name AS tariff_name, ${clampedSql('t.monthly_fee')} AS monthly_fee, t.down_kbps, t.up_kbps
FROM subscriptions sub JOIN tariffs t ON t.id = sub.tariff_id
WHERE sub.account_id = $1 AND (sub.ends_on IS NULL OR sub.ends_on >= $2::date)
ORDER BY sub.activated_on DESC, sub.id DESC
LIMIT 50`;

async function monthCharges(sql: Sql, accountId: number, period: MonthPeriod, maxLines: number): Promise<MonthCharges> {
  const range = [accountId, period.from.toISOString(), period.to.toISOString()];
  const [rows, totals] = await Promise.all([
    sql.query<ChargeLineRow>(CHARGE_LINES, [...range, maxLines + 1]),
    sql.query<{ total: number }>(MONTH_TOTAL, range),
  ]);
  return {
    month: period.month,
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    total: totals[0]?.total ?? 0,
    truncated: rows.length > maxLines,
    lines: rows.slice(0, maxLines).map((r) => ({
      kind: r.kind,
      amount: r.amount,
      count: r.n,
      firstAt: isoTime(r.first_at),
      lastAt: isoTime(r.last_at),
      sessionId: r.session_id,
      acctSessionId: r.acct_session_id,
      feeDay: r.fee_day,
      tariffName: r.tariff_name,
      comment: r.comment,
    })),
  };
}

/** The statement of `subject`'s account as the portal and widget show it. */
export async function loadStatement(store: Store, subscriber: Subscriber, account: Account, options: StatementOptions): Promise<AccountStatement> {
  const now = options.now ?? new Date();
  const maxLines = options.maxLines ?? 200;
  const { current, previous } = currentAndPreviousMonth(now, options.timeZone);
  const today = dayInTimeZone(now, options.timeZone);
  const page = { limit: 20, offset: 0 };
  const [tariff, subscriptions, credits, thisMonth, lastMonth, payments, adjustments] = await Promise.all([
    subscriber.tariffId === null ? Promise.resolve(undefined) : store.tariffs.get(subscriber.tariffId),
    store.sql.query<{
      id: number;
      activated_on: string;
      ends_on: string | null;
      subscriber_id: number | null;
      tariff_name: string;
      monthly_fee: number;
      down_kbps: number;
      up_kbps: number;
    }>(SUBSCRIPTIONS, [account.id, today]),
    store.ledger.listCredits(account.id),
    monthCharges(store.sql, account.id, current, maxLines),
    monthCharges(store.sql, account.id, previous, maxLines),
    store.ledger.payments(account.id, page),
    store.ledger.adjustments(account.id, { limit: 10, offset: 0 }),
  ]);
  return {
    subscriber,
    account,
    tariff: tariff ?? null,
    subscriptions: subscriptions.map((r) => ({
      id: r.id,
      tariffName: r.tariff_name,
      monthlyFee: r.monthly_fee,
      downKbps: r.down_kbps,
      upKbps: r.up_kbps,
      activatedOn: r.activated_on,
      endsOn: r.ends_on,
      subscriberId: r.subscriber_id,
    })),
    credits: credits.filter((c) => c.active),
    thisMonth,
    lastMonth,
    payments: payments.items,
    adjustments: adjustments.items,
  };
}

/** Why the subscriber is on the portal: the subscriber's own status first, then the account's state. */
export type PortalReason = 'disabled' | 'suspended' | 'blocked' | 'active';

export function portalReason(status: SubscriberStatus, account: Pick<Account, 'state'>): PortalReason {
  if (status === 'disabled' || status === 'suspended') return status;
  return account.state === 'blocked' ? 'blocked' : 'active';
}

/**
 * balance + credit limit + unexpired temporary credit: what the account may still spend (negative: the debt beyond
 * it). Saturates at ±(2^53 − 1), so clamped legacy values still give a number the page can format.
 */
export function available(account: Pick<Account, 'balance' | 'creditLimit' | 'activeCredit'>): number {
  return allowance(account);
}
