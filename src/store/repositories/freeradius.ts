/**
 * A FreeRADIUS SQL database (the rlm_sql schema: radcheck, radreply, radusergroup, radgroupreply and, when
 * clients are read from SQL, nas) read for `tollgate import freeradius`. Only SELECTs: the source is never
 * written. An SQL error from the server means the database is not an rlm_sql one; anything else, that it
 * could not be reached.
 */
import { FreeRadiusSourceError, type FreeRadiusNasRow, type FreeRadiusSource } from '../../domain/ports.js';
import type { Sql } from '../sql.js';
import { sqlStateOf } from '../db-errors.js';

const UNDEFINED_TABLE = '42P01';

export function freeRadiusSource(sql: Sql): FreeRadiusSource {
  const q = async <T>(text: string, params?: readonly unknown[]): Promise<T[]> => {
    try {
      return await sql.query<T>(text, params);
    } catch (err) {
      if (sqlStateOf(err) !== undefined) {
        throw new FreeRadiusSourceError(`cannot read the FreeRADIUS database: ${(err as Error).message} (is this the rlm_sql schema?)`, true, { cause: err });
      }
      throw new FreeRadiusSourceError(`cannot reach the FreeRADIUS database: ${(err as Error).message}`, false, { cause: err });
    }
  };
  return {
    radcheck: () => q('SELECT username, attribute, op, value FROM radcheck ORDER BY username, id'),
    radreply: () => q('SELECT username, attribute, op, value FROM radreply ORDER BY username, id'),
    radusergroup: () => q('SELECT username, groupname FROM radusergroup ORDER BY username, priority, groupname'),
    radgroupreply: (groups) =>
      groups.length === 0
        ? Promise.resolve([])
        : q('SELECT groupname, attribute, value FROM radgroupreply WHERE groupname = ANY($1::text[]) ORDER BY groupname, id', [[...groups]]),
    async nas() {
      // The table is optional (only with read_clients = yes): its absence is no error, nor a `nas` table that is
      // not rlm_sql's (Tollgate's own, when both live in one database).
      const [found] = await q<{ present: boolean }>(
        "SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('nas') AND attname = 'nasname' AND NOT attisdropped) AS present",
      );
      if (!found?.present) return undefined;
      try {
        return await sql.query<FreeRadiusNasRow>('SELECT nasname, shortname, type, secret, ports FROM nas ORDER BY id');
      } catch (err) {
        if (sqlStateOf(err) === UNDEFINED_TABLE) return undefined;
        throw new FreeRadiusSourceError(`cannot read the FreeRADIUS nas table: ${(err as Error).message} (is this the rlm_sql schema?)`, true, { cause: err });
      }
    },
    close: () => sql.close(),
  };
}
