/**
 * The operator console's read side (src/domain/console.ts): the one-box search, the support page's extras, the
 * dashboard figures and the NAS last-seen times (the statement by day is StatementRepository.daily). Each figure is one statement over an
 * index (migration 14 adds the ones the console needs), so the answers stay in milliseconds at a million
 * subscribers and ten million sessions (bench/console-queries.mjs measures them). Money is read clamped to
 * ±(2^53 − 1) (src/store/money.ts) so one legacy row cannot fail a page.
 */
import type {
  AccountStatePeriod,
  CoaAuditEntry,
  ConsoleRepository,
  DashboardFigures,
  DecisionBucket,
  SearchHit,
  SearchMatch,
} from '../../domain/console.js';
import { bucketSeconds } from '../../domain/console.js';
import type { AccountState } from '../../domain/types.js';
import { clampedSql } from '../money.js';
import type { Sql } from '../sql.js';
import { isoTime } from '../sql-values.js';

/** Each key's rank: a subscriber found by several keys is reported under the first. */
const RANK: Readonly<Record<SearchMatch, number>> = {
  framedIp: 1,
  sessionIp: 2,
  mac: 3,
  sessionMac: 4,
  subscriberId: 5,
  accountId: 6,
  login: 7,
};

/** The hex digits of a Calling-Station-Id, as sessions_active_mac_idx holds them. */
const SESSION_MAC_SQL = `lower(regexp_replace(se.calling_station_id, '[^0-9A-Fa-f]', '', 'g'))`;

/** `LIKE` treats `%`, `_` and `\` as special: a typed prefix matches them literally. */
function likePrefix(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/* Decisions per bucket from the per-minute rollup (migration 14), whole minutes from the minute of $1. */
const BUCKETS = /* sql */ `
SELECT date_bin(make_interval(secs => $3), minute, date_trunc('minute', $1::timestamptz)) AS bucket,
       sum(accept)::int AS accept, sum(redirect)::int AS redirect, sum(reject)::int AS reject
FROM auth_log_minutes WHERE minute >= date_trunc('minute', $1::timestamptz) AND minute < $2::timestamptz
GROUP BY 1 ORDER BY 1`;

/*
 * The counts of the moment and of the range, in one statement; the money sums each in their own, run together
 * (each is an index-only scan of its period). "Today" and "this month" are of the time zone $1; fees come from
 * fee_runs (one row per fee day), the other charges from their (created_at) partial index.
 */
const COUNTS = /* sql */ `
SELECT
  (SELECT count(*)::int FROM sessions WHERE stopped_at IS NULL) AS online,
  (SELECT count(*)::int FROM accounts WHERE state = 'blocked') AS blocked,
  (SELECT count(*)::int FROM sessions WHERE started_at >= $1::timestamptz AND started_at < $2::timestamptz) AS started,
  count(*)::int AS total,
  count(*) FILTER (WHERE result = 'ack')::int AS ack,
  count(*) FILTER (WHERE result = 'nak')::int AS nak,
  count(*) FILTER (WHERE result = 'timeout')::int AS timeout,
  count(*) FILTER (WHERE result = 'aborted')::int AS aborted
FROM coa_audit WHERE at >= $1::timestamptz AND at < $2::timestamptz`;

/** Local midnight of today ('day') or of the month's first day ('month') in the time zone $1. */
const periodStart = (unit: 'day' | 'month') => `(date_trunc('${unit}', now() AT TIME ZONE $1) AT TIME ZONE $1)`;
const SUM = (table: string, where: string) => `SELECT ${clampedSql('coalesce(sum(amount), 0)')} AS amount FROM ${table} WHERE ${where}`;
/* Payments and usage charges from their quarter-hour rollup (migration 15): a local midnight is a quarter hour. */
const ROLLUP = (column: string, unit: 'day' | 'month') =>
  `SELECT ${clampedSql(`coalesce(sum(${column}), 0)`)} AS amount FROM money_quarter_hours WHERE bucket >= ${periodStart(unit)}`;
const MONEY = {
  paymentsToday: ROLLUP('payments', 'day'),
  paymentsMonth: ROLLUP('payments', 'month'),
  usageToday: ROLLUP('usage_charges', 'day'),
  usageMonth: ROLLUP('usage_charges', 'month'),
  feesToday: SUM('fee_runs', `day >= (now() AT TIME ZONE $1)::date`),
  feesMonth: SUM('fee_runs', `day >= date_trunc('month', now() AT TIME ZONE $1)::date`),
} as const;

interface CountsRow {
  online: number;
  blocked: number;
  started: number;
  total: number;
  ack: number;
  nak: number;
  timeout: number;
  aborted: number;
}

export function consoleRepository(sql: Sql): ConsoleRepository {
  return {
    async search(query, limit) {
      const params: unknown[] = [];
      const p = (value: unknown): string => `$${params.push(value)}`;
      const branches: string[] = [];
      const lim = p(limit);
      if (query.ip !== undefined) {
        const ip = p(query.ip);
        branches.push(`(SELECT s.id AS sid, ${RANK.framedIp} AS rank, 'framedIp' AS matched FROM subscribers s WHERE s.framed_ip = ${ip}::inet LIMIT ${lim})`);
        branches.push(`(SELECT se.subscriber_id AS sid, ${RANK.sessionIp} AS rank, 'sessionIp' AS matched FROM sessions se
          WHERE se.framed_ip = ${ip}::inet AND se.stopped_at IS NULL AND se.subscriber_id IS NOT NULL LIMIT ${lim})`);
      }
      if (query.macHex !== undefined) {
        const hex = query.macHex;
        const mac = p(hex.replace(/(..)(?!$)/g, '$1:'));
        const digits = p(hex);
        branches.push(`(SELECT s.id AS sid, ${RANK.mac} AS rank, 'mac' AS matched FROM subscribers s WHERE s.mac = ${mac}::macaddr LIMIT ${lim})`);
        branches.push(`(SELECT se.subscriber_id AS sid, ${RANK.sessionMac} AS rank, 'sessionMac' AS matched FROM sessions se
          WHERE ${SESSION_MAC_SQL} = ${digits} AND se.stopped_at IS NULL AND se.calling_station_id IS NOT NULL AND se.subscriber_id IS NOT NULL LIMIT ${lim})`);
      }
      if (query.id !== undefined) {
        const id = p(query.id);
        branches.push(`(SELECT s.id AS sid, ${RANK.subscriberId} AS rank, 'subscriberId' AS matched FROM subscribers s WHERE s.id = ${id})`);
        branches.push(`(SELECT s.id AS sid, ${RANK.accountId} AS rank, 'accountId' AS matched FROM subscribers s WHERE s.account_id = ${id} ORDER BY s.id LIMIT ${lim})`);
      }
      if (query.loginPrefix !== '') {
        const prefix = p(likePrefix(query.loginPrefix));
        // The expression of subscribers_username_lower_idx: a prefix range in index order.
        branches.push(`(SELECT s.id AS sid, ${RANK.login} AS rank, 'login' AS matched FROM subscribers s
          WHERE (lower(s.username) COLLATE "C") LIKE lower(${prefix}) || '%' ESCAPE '\\' ORDER BY lower(s.username) COLLATE "C" LIMIT ${lim})`);
      }
      if (branches.length === 0) return [];
      const rows = await sql.query<{ id: number; username: string; account_id: number; state: AccountState; matched: SearchMatch }>(
        `WITH hits AS (${branches.join('\nUNION ALL\n')}),
         best AS (SELECT DISTINCT ON (sid) sid, rank, matched FROM hits ORDER BY sid, rank)
         SELECT s.id, s.username, s.account_id, a.state, b.matched
         FROM best b JOIN subscribers s ON s.id = b.sid JOIN accounts a ON a.id = s.account_id
         ORDER BY b.rank, lower(s.username), s.id LIMIT ${lim}`,
        params,
      );
      return rows.map((r): SearchHit => ({ subscriberId: r.id, username: r.username, accountId: r.account_id, accountState: r.state, matchedBy: r.matched }));
    },

    async lastCoa(username) {
      const [r] = await sql.query<{
        at: Date;
        nas: string;
        session_id: number | null;
        request: CoaAuditEntry['request'];
        action: string;
        result: CoaAuditEntry['result'];
        error_cause: number | null;
        attempts: number;
        rtt_ms: number | null;
        transport: CoaAuditEntry['transport'];
      }>(
        `SELECT at, nas, session_id, request, action, result, error_cause, attempts, rtt_ms, transport
         FROM coa_audit WHERE username = $1 ORDER BY at DESC, id DESC LIMIT 1`,
        [username],
      );
      if (!r) return undefined;
      return {
        at: isoTime(r.at),
        nas: r.nas,
        sessionId: r.session_id,
        request: r.request,
        action: r.action,
        result: r.result,
        errorCause: r.error_cause,
        attempts: r.attempts,
        rttMs: r.rtt_ms,
        transport: r.transport,
      };
    },

    async statePeriod(accountId): Promise<AccountStatePeriod | undefined> {
      const [r] = await sql.query<{ state: AccountState; since: Date; reason: string }>(
        'SELECT state, since, reason FROM account_states WHERE account_id = $1 AND until IS NULL',
        [accountId],
      );
      return r && { state: r.state, since: isoTime(r.since), reason: r.reason };
    },

    async dashboard(from, to, timeZone): Promise<DashboardFigures> {
      const step = bucketSeconds(from, to);
      const range = [from.toISOString(), to.toISOString()];
      const sum = async (text: string): Promise<number> => (await sql.query<{ amount: number }>(text, [timeZone]))[0]?.amount ?? 0;
      const [counts, buckets, paymentsToday, paymentsMonth, usageToday, usageMonth, feesToday, feesMonth] = await Promise.all([
        sql.query<CountsRow>(COUNTS, range),
        sql.query<{ bucket: Date; accept: number; redirect: number; reject: number }>(BUCKETS, [...range, step]),
        sum(MONEY.paymentsToday),
        sum(MONEY.paymentsMonth),
        sum(MONEY.usageToday),
        sum(MONEY.usageMonth),
        sum(MONEY.feesToday),
        sum(MONEY.feesMonth),
      ]);
      const f = counts[0] as CountsRow;
      return {
        onlineSessions: f.online,
        blockedAccounts: f.blocked,
        sessionsStarted: f.started,
        decisions: buckets.map((b): DecisionBucket => ({ at: isoTime(b.bucket), accept: b.accept, redirect: b.redirect, reject: b.reject })),
        coa: { total: f.total, ack: f.ack, nak: f.nak, timeout: f.timeout, aborted: f.aborted },
        today: { payments: paymentsToday, charges: usageToday + feesToday },
        month: { payments: paymentsMonth, charges: usageMonth + feesMonth },
      };
    },

    async onlineSessions() {
      const [r] = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions WHERE stopped_at IS NULL');
      return r?.n ?? 0;
    },

    async decisionsSince(from, to) {
      const [r] = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM auth_log WHERE at >= $1::timestamptz AND at < $2::timestamptz', [
        from.toISOString(),
        to.toISOString(),
      ]);
      return r?.n ?? 0;
    },

    async ratingLag() {
      const [r] = await sql.query<{ records: string; rows: number; lag: number | null }>(
        `SELECT coalesce(sum(records), 0)::text AS records, count(*)::int AS rows,
                extract(epoch FROM now() - min(received_at))::float8 AS lag
         FROM accounting_journal`,
      );
      return { unratedRecords: Number(r?.records ?? 0), unratedRows: r?.rows ?? 0, oldestSeconds: Math.max(0, Math.round(r?.lag ?? 0)) };
    },

    async recordNasSightings(sightings) {
      const rows = sightings.filter((s) => s.id !== undefined);
      const clients = sightings.filter((s) => s.id === undefined);
      if (rows.length > 0) {
        await sql.query(
          `UPDATE nas n SET last_seen_at = v.at
           FROM unnest($1::bigint[], $2::timestamptz[]) AS v(id, at)
           WHERE n.id = v.id AND (n.last_seen_at IS NULL OR n.last_seen_at < v.at)`,
          [rows.map((s) => s.id), rows.map((s) => s.at.toISOString())],
        );
      }
      if (clients.length > 0) {
        await sql.query(
          `INSERT INTO config_client_last_seen (address, name, last_seen_at)
           SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[])
           ON CONFLICT (address) DO UPDATE SET name = EXCLUDED.name,
             last_seen_at = greatest(config_client_last_seen.last_seen_at, EXCLUDED.last_seen_at)`,
          [clients.map((s) => s.address), clients.map((s) => s.name), clients.map((s) => s.at.toISOString())],
        );
      }
    },

    async nasLastSeen() {
      const [rows, clients] = await Promise.all([
        sql.query<{ id: number; at: Date }>('SELECT id, last_seen_at AS at FROM nas WHERE last_seen_at IS NOT NULL'),
        sql.query<{ address: string; at: Date }>('SELECT address, last_seen_at AS at FROM config_client_last_seen'),
      ]);
      return {
        byId: new Map(rows.map((r) => [r.id, isoTime(r.at)])),
        byAddress: new Map(clients.map((r) => [r.address, isoTime(r.at)])),
      };
    },
  };
}
