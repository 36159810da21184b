/**
 * Statements: what a subscriber reads of their account on the portal and the billing widget (subscriptions,
 * charges grouped by session, month totals) and the temporary credit they grant themself there (the promised
 * payment). Read-only except `grantCreditIf`. Sums and amounts are read clamped to ±(2^53 − 1)
 * (src/store/money.ts), so a legacy row beyond that renders instead of failing the page.
 */
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
