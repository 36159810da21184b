/** The post-auth log: appended in batches by the auth-log writer, read newest first by the admin API. */
import type { AuthLogEntry } from '../../domain/types.js';
import type { AuthLogRepository, Sql } from '../ports.js';
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
// 8 parameters a row: 1000 rows stay far below PostgreSQL's 65535 bind parameters per statement.
const ROWS_PER_INSERT = 1000;

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

function insertOf(entries: readonly AuthLogEntry[]): { text: string; params: unknown[] } {
  const params: unknown[] = [];
  const rows: string[] = [];
  for (const e of entries) {
    const n = params.length;
    params.push(e.at, e.username, e.nas, e.result, e.reason, e.method, e.callingStationId, e.nasPort);
    rows.push(`($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}, $${n + 6}, $${n + 7}, $${n + 8})`);
  }
  return { text: `INSERT INTO auth_log (${COLUMNS.join(', ')}) VALUES ${rows.join(', ')}`, params };
}

export function authLogRepository(sql: Sql): AuthLogRepository {
  return {
    async append(entries) {
      if (entries.length === 0) return;
      if (entries.length <= ROWS_PER_INSERT) {
        const { text, params } = insertOf(entries);
        await sql.query(text, params);
        return;
      }
      // A batch larger than one statement still commits as a whole.
      await sql.transaction(async (tx) => {
        for (let i = 0; i < entries.length; i += ROWS_PER_INSERT) {
          const { text, params } = insertOf(entries.slice(i, i + ROWS_PER_INSERT));
          await tx.query(text, params);
        }
      });
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
  };
}
