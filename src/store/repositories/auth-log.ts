/**
 * The post-auth log: appended in batches by the auth-log writer, read newest first by the admin API; each batch
 * also adds to auth_log_minutes, the decisions per minute (the console's dashboard).
 *
 * A batch the database refuses for its data (SQLSTATE class 22 or 23) is split in halves, and halves again, until
 * the one entry that cannot be stored fails alone: that entry is left out and reported, everything around it is
 * written. Retrying the whole batch would stall the log behind one bad entry for good.
 */
import type { AuthLogEntry } from '../../domain/types.js';
import type { AuthLogAppendOutcome, AuthLogRejection, AuthLogRepository } from '../../domain/ports.js';
import type { Sql } from '../sql.js';
import { isDataError, sqlStateOf } from '../db-errors.js';
import { isoTime } from '../sql-values.js';
import { intInRange } from '../validate.js';

interface AuthLogRow {
  at: Date;
  username: string;
  nas: string;
  result: AuthLogEntry['result'];
  reason: string | null;
  method: string;
  calling_station_id: string | null;
  nas_port: string | null;
}

const COLUMNS = ['at', 'username', 'nas', 'result', 'reason', 'method', 'calling_station_id', 'nas_port'] as const;

/*
 * One statement per batch, the rows as one JSON parameter: a short statement PostgreSQL plans once, whatever the
 * batch size, and JSON.stringify (native) instead of the driver escaping thousands of array elements in
 * JavaScript on the daemon's event loop. Each row is a positional array parsed once as jsonb: measured on
 * PostgreSQL 15, 2000-row batches, this parses in about a third of the time json_to_recordset takes (which
 * looks every key up in every object), and the daemon builds no second object per entry.
 */
const INSERT = `INSERT INTO auth_log (${COLUMNS.join(', ')})
  SELECT (e->>0)::timestamptz, e->>1, e->>2, e->>3, e->>4, e->>5, e->>6, e->>7
  FROM jsonb_array_elements($1::jsonb) AS e`;

function toEntry(row: AuthLogRow): AuthLogEntry {
  return {
    at: isoTime(row.at),
    username: row.username,
    nas: row.nas,
    result: row.result,
    reason: row.reason,
    method: row.method,
    callingStationId: row.calling_station_id,
    nasPort: row.nas_port,
  };
}

/** The rows in COLUMNS order. */
function rowsJson(entries: readonly AuthLogEntry[]): string {
  return JSON.stringify(entries.map((e) => [e.at, e.username, e.nas, e.result, e.reason, e.method, e.callingStationId, e.nasPort]));
}

/** A run of entries still to write; `refused` holds the data error it failed with as a whole, if it did. */
interface Run {
  readonly entries: readonly AuthLogEntry[];
  refused?: unknown;
}

/** The halves of a refused run; a single refused entry is rejected and leaves nothing to write. */
function split(run: Run, rejected: AuthLogRejection[]): Run[] {
  const { entries } = run;
  if (entries.length === 1) {
    const err = run.refused;
    rejected.push({ entry: entries[0] as AuthLogEntry, reason: err instanceof Error ? err.message : String(err), code: sqlStateOf(err) });
    return [];
  }
  const mid = Math.ceil(entries.length / 2);
  return [{ entries: entries.slice(0, mid) }, { entries: entries.slice(mid) }];
}

/*
 * The batch's INSERT and, in the same statement, auth_log_minutes, the decisions per minute the console's
 * dashboard reads (migration 14): one upsert per minute the batch spans, in minute order (two writers lock the
 * rows in the same order).
 */
const INSERT_COUNTED = `WITH logged AS (${INSERT} RETURNING at, result)
INSERT INTO auth_log_minutes AS m (minute, accept, redirect, reject)
SELECT date_trunc('minute', at), count(*) FILTER (WHERE result = 'accept'), count(*) FILTER (WHERE result = 'redirect'),
       count(*) FILTER (WHERE result = 'reject')
FROM logged GROUP BY 1 ORDER BY 1
ON CONFLICT (minute) DO UPDATE SET accept = m.accept + EXCLUDED.accept, redirect = m.redirect + EXCLUDED.redirect,
  reject = m.reject + EXCLUDED.reject`;

export function authLogRepository(sql: Sql): AuthLogRepository {
  const append = async (entries: readonly AuthLogEntry[]): Promise<void> => {
    if (entries.length === 0) return;
    await sql.query(INSERT_COUNTED, [rowsJson(entries)]);
  };
  return {
    append,
    async appendIsolating(batch): Promise<AuthLogAppendOutcome> {
      const work: Run[] = [{ entries: batch }];
      const rejected: AuthLogRejection[] = [];
      let written = 0;
      let refusals = 0;
      while (work.length > 0) {
        const next = work[0] as Run;
        if (next.refused !== undefined) {
          work.shift();
          work.unshift(...split(next, rejected));
          continue;
        }
        try {
          await append(next.entries);
        } catch (err) {
          if (!isDataError(err)) return { written, rejected, refusals, unwritten: work.flatMap((r) => r.entries), failure: err };
          refusals++;
          next.refused = err;
          continue;
        }
        work.shift();
        written += next.entries.length;
      }
      return { written, rejected, refusals, unwritten: [] };
    },
    async query(filter) {
      intInRange('limit', filter.limit, 1, 10_000);
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.username !== undefined) {
        params.push(filter.username);
        where.push(`username = $${params.length}`);
      }
      if (filter.before !== undefined) {
        params.push(filter.before);
        where.push(`at < $${params.length}::timestamptz`);
      }
      params.push(filter.limit);
      const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const rows = await sql.query<AuthLogRow>(
        `SELECT ${COLUMNS.join(', ')} FROM auth_log ${clause} ORDER BY at DESC, id DESC LIMIT $${params.length}`,
        params,
      );
      return rows.map(toEntry);
    },
    async deleteOlderThan(cutoff, limit) {
      intInRange('limit', limit, 1, 100_000);
      // Oldest first through auth_log_at_idx, a bounded chunk per statement (short locks, bounded WAL).
      const rows = await sql.query<{ n: number }>(
        `WITH gone AS (
           DELETE FROM auth_log WHERE id IN (SELECT id FROM auth_log WHERE at < $1::timestamptz ORDER BY at, id LIMIT $2)
           RETURNING 1
         )
         SELECT count(*)::int AS n FROM gone`,
        [cutoff, limit],
      );
      return rows[0]?.n ?? 0;
    },
  };
}
