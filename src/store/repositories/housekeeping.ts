/** What the periodic housekeeping pass (auth-log retention, credit expiry, stale sessions) reads directly. */
import type { HousekeepingRepository } from '../../domain/ports.js';
import type { Sql } from '../sql.js';
import { count } from '../validate.js';

export function housekeepingRepository(sql: Sql): HousekeepingRepository {
  return {
    async ratingBehind(olderThanSeconds) {
      count('olderThanSeconds', olderThanSeconds);
      // The journal holds only what is not rated yet (rated rows are deleted): a short scan, stopped at the first hit.
      const [row] = await sql.query<{ behind: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM accounting_journal WHERE received_at < now() - make_interval(secs => $1)) AS behind`,
        [olderThanSeconds],
      );
      return row?.behind === true;
    },
  };
}
