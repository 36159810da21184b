/**
 * Statements: what a subscriber reads of their account on the portal and the billing widget (subscriptions,
 * charges grouped by session, month totals), the temporary credit they grant themself there (the promised
 * payment), and the statement by day with its running balance (the console's, GET /accounts/{id}/statement). Read-only except `grantCreditIf`. Sums and amounts are read clamped to ±(2^53 − 1)
 * (src/store/money.ts), so a legacy row beyond that renders instead of failing the page.
 */
import type { DailyStatement, StatementDay } from '../../domain/console.js';
import type { ChargeKind, ChargeLine, ChargeLines, CreditGrantDecision, CreditGrantFacts, StatementRepository, SubscriptionLine } from '../../domain/ports.js';
import type { Sql } from '../sql.js';
import { clampedSql } from '../money.js';
import { isoTime } from '../sql-values.js';
import { accountRepository } from './accounts.js';
import { ledgerRepository } from './ledger.js';
import { subscriberRepository } from './subscribers.js';

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

interface SubscriptionRow {
  id: number;
  activated_on: string;
  ends_on: string | null;
  subscriber_id: number | null;
  tariff_name: string;
  monthly_fee: number;
  down_kbps: number;
  up_kbps: number;
}

// A session's charges of a period group into one line; anything without a session stays a line of its own.
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

const PERIOD_TOTAL = `SELECT ${clampedSql('coalesce(sum(amount), 0)')} AS total FROM charges
WHERE account_id = $1 AND created_at >= $2::timestamptz AND created_at < $3::timestamptz`;

const SUBSCRIPTIONS = `
SELECT sub.id, sub.activated_on::text AS activated_on, sub.ends_on::text AS ends_on, sub.subscriber_id,
       t.name AS tariff_name, ${clampedSql('t.monthly_fee')} AS monthly_fee, t.down_kbps, t.up_kbps
FROM subscriptions sub JOIN tariffs t ON t.id = sub.tariff_id
WHERE sub.account_id = $1 AND (sub.ends_on IS NULL OR sub.ends_on >= $2::date)
ORDER BY sub.activated_on DESC, sub.id DESC
LIMIT 50`;

const LAST_CREDIT = 'SELECT max(created_at) AS at FROM credits WHERE account_id = $1 AND reason = $2';

interface StatementRow {
  balance: number;
  day: string | null;
  kind: 'payments' | 'adjustments' | 'charges' | 'fees' | 'credits' | null;
  amount: number | null;
}

/*
 * One statement, one snapshot: the balance now and every movement since the first day, by day of the time zone
 * (a movement after the last day has day NULL: it only takes the closing balance back from now).
 */
const DAILY_STATEMENT = /* sql */ `
WITH bounds AS (
  SELECT ($2::date)::timestamp AT TIME ZONE $4 AS t0, ($3::date + 1)::timestamp AT TIME ZONE $4 AS t1
), account AS (
  SELECT ${clampedSql('a.balance')} AS balance FROM accounts a WHERE a.id = $1
), mv AS (
  SELECT p.created_at AS at, 'payments' AS kind, p.amount::numeric AS amount FROM payments p, bounds b WHERE p.account_id = $1 AND p.created_at >= b.t0
  UNION ALL
  SELECT j.created_at, 'adjustments', j.amount FROM adjustments j, bounds b WHERE j.account_id = $1 AND j.created_at >= b.t0
  UNION ALL
  SELECT c.created_at, CASE WHEN c.kind = 'fee' THEN 'fees' ELSE 'charges' END, c.amount FROM charges c, bounds b WHERE c.account_id = $1 AND c.created_at >= b.t0
  UNION ALL
  SELECT r.created_at, 'credits', r.amount FROM credits r, bounds b WHERE r.account_id = $1 AND r.created_at >= b.t0
), days AS (
  SELECT CASE WHEN mv.at < b.t1 THEN (mv.at AT TIME ZONE $4)::date::text END AS day, mv.kind, ${clampedSql('sum(mv.amount)')} AS amount
  FROM mv, bounds b GROUP BY 1, 2
)
SELECT account.balance, days.day, days.kind, days.amount FROM account LEFT JOIN days ON true
ORDER BY days.day NULLS LAST, days.kind`;

/** The effect of a movement kind on the balance (credits are not money). */
function balanceEffect(kind: StatementRow['kind'], amount: number): number {
  switch (kind) {
    case 'payments':
    case 'adjustments':
      return amount;
    case 'charges':
    case 'fees':
      return -amount;
    default:
      return 0;
  }
}

function toChargeLine(r: ChargeLineRow): ChargeLine {
  return {
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
  };
}

function toSubscriptionLine(r: SubscriptionRow): SubscriptionLine {
  return {
    id: r.id,
    tariffName: r.tariff_name,
    monthlyFee: r.monthly_fee,
    downKbps: r.down_kbps,
    upKbps: r.up_kbps,
    activatedOn: r.activated_on,
    endsOn: r.ends_on,
    subscriberId: r.subscriber_id,
  };
}

async function lastCreditAt(sql: Sql, accountId: number, reason: string): Promise<Date | undefined> {
  const [row] = await sql.query<{ at: Date | null }>(LAST_CREDIT, [accountId, reason]);
  return row?.at ?? undefined;
}

export function statementRepository(sql: Sql): StatementRepository {
  return {
    async subscriptions(accountId, today) {
      const rows = await sql.query<SubscriptionRow>(SUBSCRIPTIONS, [accountId, today]);
      return rows.map(toSubscriptionLine);
    },

    async chargeLines(accountId, from, to, maxLines): Promise<ChargeLines> {
      const range = [accountId, from.toISOString(), to.toISOString()];
      // One more line than asked for tells whether there are more.
      const [rows, totals] = await Promise.all([sql.query<ChargeLineRow>(CHARGE_LINES, [...range, maxLines + 1]), sql.query<{ total: number }>(PERIOD_TOTAL, range)]);
      return { total: totals[0]?.total ?? 0, truncated: rows.length > maxLines, lines: rows.slice(0, maxLines).map(toChargeLine) };
    },

    lastCreditAt: (accountId, reason) => lastCreditAt(sql, accountId, reason),

    async daily(accountId, range): Promise<DailyStatement | undefined> {
      const rows = await sql.query<StatementRow>(DAILY_STATEMENT, [accountId, range.from, range.to, range.timeZone]);
      const [first] = rows;
      if (!first) return undefined;
      const byDay = new Map<string, { charges: number; fees: number; payments: number; adjustments: number; credits: number }>();
      let sinceFrom = 0;
      for (const r of rows) {
        if (r.kind === null || r.amount === null) continue;
        sinceFrom += balanceEffect(r.kind, r.amount);
        if (r.day === null) continue;
        let d = byDay.get(r.day);
        if (!d) byDay.set(r.day, (d = { charges: 0, fees: 0, payments: 0, adjustments: 0, credits: 0 }));
        d[r.kind] += r.amount;
      }
      const openingBalance = first.balance - sinceFrom;
      const totals = { charges: 0, fees: 0, payments: 0, adjustments: 0, credits: 0 };
      const days: StatementDay[] = [];
      let balance = openingBalance;
      for (const [day, d] of [...byDay].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const opening = balance;
        balance = opening - d.charges - d.fees + d.payments + d.adjustments;
        for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += d[k];
        days.push({ day, openingBalance: opening, ...d, closingBalance: balance });
      }
      return { accountId, from: range.from, to: range.to, timeZone: range.timeZone, openingBalance, closingBalance: balance, totals, days };
    },

    grantCreditIf<R>(
      request: { readonly subscriberId: number; readonly accountId: number; readonly reason: string },
      decide: (facts: CreditGrantFacts) => CreditGrantDecision<R>,
    ) {
      const { subscriberId, accountId, reason } = request;
      return sql.transaction(async (tx) => {
        // The row lock first: a second grant for the account waits here and then sees the first one's credit.
        await tx.query('SELECT id FROM accounts WHERE id = $1 FOR UPDATE', [accountId]);
        // Reads only: the fee time zone of the subscriber repository plays no part in them.
        const subscriber = await subscriberRepository(tx).get(subscriberId);
        const account = await accountRepository(tx).get(accountId);
        const lastGrantedAt = await lastCreditAt(tx, accountId, reason);
        if (!subscriber || !account || subscriber.accountId !== accountId) return undefined;
        const decision = decide({ subscriber, account, lastGrantedAt });
        if ('refuse' in decision) return { refused: decision.refuse };
        const granted = await ledgerRepository(tx).grantCredit({ accountId, amount: decision.grant.amount, expiresAt: decision.grant.expiresAt, reason });
        return { granted };
      });
    },
  };
}
