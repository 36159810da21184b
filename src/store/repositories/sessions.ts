/**
 * Sessions as the API and AAA read them (the accounting pipeline writes them): lists newest first, "who had IP X
 * at time T" on the GiST index `sessions_ip_time_idx`, the sessions Simultaneous-Use counts (a login's on the
 * partial index `sessions_active_username_idx`, to confirm a reject; all of them, to load at start), a session
 * with its NAS for a Disconnect-Request, the sweep that closes sessions whose Stop was lost, and the keyset-paged
 * export of the sessions overlapping a range.
 */
import type { Page } from '../../domain/types.js';
import type { OpenSession, PageRequest, Session, SessionExportFilter, SessionFilter, SessionNas, SessionRepository, SessionWithNas, StaleLimits, VendorName } from '../../domain/ports.js';
import type { Sql } from '../sql.js';
import { isoTime, parseInt8 } from '../sql-values.js';
import { count, hostAddress, intInRange, nonEmpty, pageRequest } from '../validate.js';

/**
 * A row of `sessions`, every column: the one row type of the table (the API reads its view of it, the rating reads
 * and writes all of it). bigint columns come as decimal text, so counters and rated amounts stay exact.
 */
export interface SessionRow {
  id: number;
  acct_unique_id: string;
  nas_name: string;
  acct_session_id: string;
  nas_epoch: string;
  username: string;
  subscriber_id: number | null;
  account_id: number | null;
  framed_ip: string | null;
  calling_station_id: string | null;
  nas_port: string | null;
  started_at: Date;
  updated_at: Date;
  stopped_at: Date | null;
  terminate_cause: string | null;
  final: boolean;
  first_seen_at: Date;
  last_seen_at: Date;
  first_session_time: string;
  input_octets: string;
  output_octets: string;
  session_time: string;
  rated_octets: string;
  rated_seconds: string;
  charged_traffic: string;
  charged_time: string;
  last_status: 'start' | 'interim-update' | 'stop';
}

interface SessionNasRow extends SessionRow {
  n_id: number | null;
  n_name: string | null;
  n_address: string | null;
  n_secret: string | null;
  n_coa_port: number | null;
  n_vendor: VendorName | null;
}

/** The columns of SessionRow, of `sessions s`. */
export const SESSION_COLUMNS = `s.id, s.acct_unique_id, s.nas_name, s.acct_session_id, s.nas_epoch::text, s.username, s.subscriber_id,
  s.account_id, host(s.framed_ip) AS framed_ip, s.calling_station_id, s.nas_port, s.started_at, s.updated_at, s.stopped_at,
  s.terminate_cause, s.final, s.first_seen_at, s.last_seen_at, s.first_session_time::text, s.input_octets::text,
  s.output_octets::text, s.session_time::text, s.rated_octets::text, s.rated_seconds::text, s.charged_traffic::text,
  s.charged_time::text, s.last_status`;

/** Newest first; id breaks ties so pages are stable. */
const ORDER = 'ORDER BY s.started_at DESC, s.id DESC';

export const STALE_TERMINATE_CAUSE = 'Stale-Session';

const toSession = (r: SessionRow): Session => ({
  id: r.id,
  username: r.username,
  nas: r.nas_name,
  acctSessionId: r.acct_session_id,
  framedIp: r.framed_ip,
  callingStationId: r.calling_station_id,
  nasPort: r.nas_port,
  startedAt: isoTime(r.started_at),
  updatedAt: isoTime(r.updated_at),
  stoppedAt: r.stopped_at === null ? null : isoTime(r.stopped_at),
  terminateCause: r.terminate_cause,
  inputOctets: parseInt8(r.input_octets),
  outputOctets: parseInt8(r.output_octets),
  sessionTime: parseInt8(r.session_time),
  subscriberId: r.subscriber_id,
  accountId: r.account_id,
});

function toNas(r: SessionNasRow): SessionNas | null {
  if (r.n_id === null || r.n_name === null || r.n_address === null || r.n_secret === null || r.n_coa_port === null || r.n_vendor === null) return null;
  return { id: r.n_id, name: r.n_name, address: r.n_address, secret: r.n_secret, coaPort: r.n_coa_port, vendor: r.n_vendor };
}

function validDate(field: string, value: Date): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new RangeError(`${field}: must be a valid Date`);
  return value;
}

/** WHERE clause and parameters of a list filter. */
function where(filter: SessionFilter): { clause: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (filter.active === true) conditions.push('s.stopped_at IS NULL');
  if (filter.active === false) conditions.push('s.stopped_at IS NOT NULL');
  if (filter.username !== undefined) {
    params.push(nonEmpty('username', filter.username));
    conditions.push(`s.username = $${params.length}`);
  }
  if (filter.accountId !== undefined) {
    params.push(count('accountId', filter.accountId));
    conditions.push(`s.account_id = $${params.length}`);
  }
  return { clause: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

/** Default page size of exportRange. */
export const EXPORT_PAGE_SIZE = 1000;

/**
 * The two parts of an export, in (started_at, id) order: sessions already open at `from` (the GiST index answers
 * `@> from`), then sessions started in [from, to). Both carry the GiST overlap expression so that an ip filter
 * uses sessions_ip_time_idx, and a username filter uses sessions_username_started_idx. The keyset cursor is the
 * start time as text (full microseconds; a JS Date would round them and repeat rows) and the id.
 */
function exportPageQuery(phase: 'open-at-from' | 'started-within', filter: SessionExportFilter): { text: string; params: unknown[] } {
  const params: unknown[] = [filter.from.toISOString(), filter.to.toISOString()];
  const conditions = [
    `tstzrange(s.started_at, s.stopped_at, '[]') && tstzrange($1::timestamptz, $2::timestamptz, '[)')`,
    phase === 'open-at-from'
      ? `tstzrange(s.started_at, s.stopped_at, '[]') @> $1::timestamptz AND s.started_at < $1::timestamptz`
      : 's.started_at >= $1::timestamptz AND s.started_at < $2::timestamptz',
  ];
  if (filter.username !== undefined) {
    params.push(filter.username);
    conditions.push(`s.username = $${params.length}`);
  }
  if (filter.ip !== undefined) {
    params.push(filter.ip);
    conditions.push(`s.framed_ip = $${params.length}::inet`);
  }
  const n = params.length;
  return {
    text: `SELECT ${SESSION_COLUMNS}, s.started_at::text AS cursor_at FROM sessions s
      WHERE ${conditions.join(' AND ')} AND (s.started_at, s.id) > ($${n + 1}::timestamptz, $${n + 2}::bigint)
      ORDER BY s.started_at, s.id LIMIT $${n + 3}`,
    params,
  };
}

interface OpenSessionRow {
  id: number;
  username: string;
  nas_name: string;
  updated_s: string;
}

const COUNTED_COLUMNS = 's.id, s.username, s.nas_name, ceil(extract(epoch FROM s.updated_at))::text AS updated_s';
/**
 * A session's stale limit in seconds ($1: the default, $2: {nas name: seconds} for the NAS with another one).
 */
const STALE_SECONDS = `coalesce(($2::jsonb ->> s.nas_name)::double precision, $1::double precision)`;

/**
 * What Simultaneous-Use counts ($1, $2: the stale limits): open, heard from within its NAS's stale limit (the
 * sweep's: a session past it has lost its Stop), and not from before its NAS's latest Accounting-On/Off (rating
 * closes those; the epoch test keeps the count right whatever wrote the row). The partial index
 * sessions_active_username_idx finds the rows; the epoch is a primary-key probe.
 */
const COUNTED_WHERE = `s.stopped_at IS NULL AND s.updated_at >= now() - make_interval(secs => ${STALE_SECONDS})
  AND NOT EXISTS (SELECT 1 FROM accounting_nas_epochs e WHERE e.nas_name = s.nas_name AND e.epoch > s.nas_epoch)`;

/** The limits as checked query parameters [$1 default seconds, $2 per-NAS JSON]; a number is one limit for all. */
function staleParams(name: string, stale: StaleLimits | number): [number, string] {
  const limits = typeof stale === 'number' ? { defaultSeconds: stale, byNas: {} } : stale;
  count(name, limits.defaultSeconds);
  for (const [nas, seconds] of Object.entries(limits.byNas)) count(`${name}.byNas.${nas}`, seconds);
  return [limits.defaultSeconds, JSON.stringify(limits.byNas)];
}

const toOpenSession = (r: OpenSessionRow): OpenSession => ({ id: r.id, username: r.username, nas: r.nas_name, updatedAt: Number(r.updated_s) });

function checkExportFilter(filter: SessionExportFilter): void {
  validDate('from', filter.from);
  validDate('to', filter.to);
  if (filter.to.getTime() <= filter.from.getTime()) throw new RangeError('to: must be after from');
  if (filter.username !== undefined) nonEmpty('username', filter.username);
  if (filter.ip !== undefined) hostAddress('ip', filter.ip);
}

export function sessionRepository(sql: Sql): SessionRepository {
  return {
    async list(filter, page: PageRequest): Promise<Page<Session>> {
      pageRequest(page.limit, page.offset);
      const { clause, params } = where(filter);
      const n = params.length;
      const [rows, totals] = await Promise.all([
        sql.query<SessionRow>(`SELECT ${SESSION_COLUMNS} FROM sessions s ${clause} ${ORDER} LIMIT $${n + 1} OFFSET $${n + 2}`, [...params, page.limit, page.offset]),
        sql.query<{ total: number }>(`SELECT count(*) AS total FROM sessions s ${clause}`, params),
      ]);
      return { items: rows.map(toSession), total: totals[0]?.total ?? 0, limit: page.limit, offset: page.offset };
    },

    async byIpAt(ip, at) {
      hostAddress('ip', ip);
      validDate('at', at);
      // Matches sessions_ip_time_idx (framed_ip inet_ops, tstzrange(started_at, stopped_at, '[]')) exactly.
      const rows = await sql.query<SessionRow>(
        `SELECT ${SESSION_COLUMNS} FROM sessions s
         WHERE s.framed_ip = $1::inet AND tstzrange(s.started_at, s.stopped_at, '[]') @> $2::timestamptz ${ORDER}`,
        [ip, at.toISOString()],
      );
      return rows.map(toSession);
    },

    async get(id) {
      const [row] = await sql.query<SessionRow>(`SELECT ${SESSION_COLUMNS} FROM sessions s WHERE s.id = $1`, [id]);
      return row && toSession(row);
    },

    async withNas(id): Promise<SessionWithNas | undefined> {
      // The NAS by nas_id when the writer recorded it, else by name (a NAS created after the session started).
      const [row] = await sql.query<SessionNasRow>(
        `SELECT ${SESSION_COLUMNS}, n.id AS n_id, n.name AS n_name, n.address AS n_address, n.secret AS n_secret,
                n.coa_port AS n_coa_port, n.vendor AS n_vendor
         FROM sessions s
         LEFT JOIN LATERAL (
           SELECT id, name, address, secret, coa_port, vendor FROM nas
           WHERE id = s.nas_id OR name = s.nas_name
           ORDER BY (id = s.nas_id) DESC NULLS LAST, id LIMIT 1
         ) n ON true
         WHERE s.id = $1`,
        [id],
      );
      return row && { session: toSession(row), nas: toNas(row) };
    },

    async countActive(username) {
      nonEmpty('username', username);
      const [row] = await sql.query<{ n: number }>('SELECT count(*) AS n FROM sessions WHERE username = $1 AND stopped_at IS NULL', [username]);
      return row?.n ?? 0;
    },

    async countedSessions(username, stale) {
      nonEmpty('username', username);
      const params = staleParams('staleAfterSeconds', stale);
      const rows = await sql.query<OpenSessionRow>(
        `SELECT ${COUNTED_COLUMNS} FROM sessions s WHERE s.username = $3 AND ${COUNTED_WHERE} ORDER BY s.id`,
        [...params, username],
      );
      return rows.map(toOpenSession);
    },

    async allCountedSessions(stale) {
      const params = staleParams('staleAfterSeconds', stale);
      const rows = await sql.query<OpenSessionRow>(`SELECT ${COUNTED_COLUMNS} FROM sessions s WHERE ${COUNTED_WHERE}`, params);
      return rows.map(toOpenSession);
    },

    async *exportRange(filter, pageSize = EXPORT_PAGE_SIZE) {
      checkExportFilter(filter);
      intInRange('pageSize', pageSize, 1, 10_000);
      let cursor: [string, number] = ['-infinity', 0];
      for (const phase of ['open-at-from', 'started-within'] as const) {
        const { text, params } = exportPageQuery(phase, filter);
        for (;;) {
          const rows = await sql.query<SessionRow & { cursor_at: string }>(text, [...params, ...cursor, pageSize]);
          if (rows.length > 0) {
            const last = rows[rows.length - 1]!;
            cursor = [last.cursor_at, last.id];
            yield rows.map(toSession);
          }
          if (rows.length < pageSize) break;
        }
      }
    },

    async closeStale(stale, now) {
      const [defaultSeconds, byNas] = staleParams('olderThanSeconds', stale);
      if (now !== undefined) validDate('now', now);
      const shortest = Math.min(defaultSeconds, ...Object.values(typeof stale === 'number' ? {} : stale.byNas));
      // Rows locked in id order, skipping those a writer holds right now (being written means not stale), so
      // the sweep never waits on, or deadlocks with, the accounting writer. FOR UPDATE re-checks the condition
      // on the latest row version, so an Interim-Update committed meanwhile keeps its session open.
      // The shortest limit narrows the scan by the index on open sessions' updated_at; each row's NAS decides.
      const rows = await sql.query<{ id: number }>(
        `WITH stale AS (
           SELECT id FROM sessions s
           WHERE s.stopped_at IS NULL AND s.updated_at < coalesce($3::timestamptz, now()) - make_interval(secs => $4::double precision)
             AND s.updated_at < coalesce($3::timestamptz, now()) - make_interval(secs => ${STALE_SECONDS})
           ORDER BY id FOR UPDATE SKIP LOCKED
         )
         UPDATE sessions s SET stopped_at = greatest(s.started_at, s.updated_at), terminate_cause = $5, last_status = 'stop'
         FROM stale WHERE s.id = stale.id
         RETURNING s.id`,
        [defaultSeconds, byNas, now === undefined ? null : now.toISOString(), shortest, STALE_TERMINATE_CAUSE],
      );
      return rows.length;
    },
  };
}
