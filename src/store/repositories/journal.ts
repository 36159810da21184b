/**
 * accounting_journal and accounting_journal_rejected: the accounting records acknowledged and not yet rated, one row
 * per group commit of the journal writer (billing/journal.ts), its records in the row format of journal-codec.ts. The
 * writer appends rows; the rating (rating.ts) claims the oldest, deletes or rewrites them in its transaction, and
 * moves a record it cannot rate to the rejected table (docs/accounting.md).
 */
import type { AccountingRecord } from '../../domain/accounting.js';
import type { AccountingJournalStore } from '../../domain/ports.js';
import type { Sql } from '../sql.js';
import { decodeRecords, encodeRecords } from './journal-codec.js';

/** A claimed journal row. */
export interface JournalRow {
  readonly id: string;
  readonly records: number;
  readonly body: string;
}

/**
 * The oldest rows up to `maxRecords` records (at least one row, however large), at most `maxRows`, bodies fetched
 * only for those.
 */
export function claimJournalRows(tx: Sql, maxRecords: number, maxRows: number): Promise<JournalRow[]> {
  return tx.query<JournalRow>(
    `SELECT j.id::text AS id, j.records, j.body
     FROM (SELECT id, records, sum(records) OVER (ORDER BY id) AS upto FROM accounting_journal ORDER BY id LIMIT $2) h
     JOIN accounting_journal j ON j.id = h.id
     WHERE h.upto <= $1 OR h.upto = h.records
     ORDER BY j.id`,
    [maxRecords, maxRows],
  );
}

/** Rated: the rows go. */
export async function deleteJournalRows(tx: Sql, ids: readonly string[]): Promise<void> {
  await tx.query('DELETE FROM accounting_journal WHERE id = ANY($1::bigint[])', [ids]);
}

/** The row keeps only `records` (the rest of a row whose prefix was rated or rejected), in its place in journal order. */
export async function rewriteJournalRow(tx: Sql, id: string | number, records: readonly AccountingRecord[]): Promise<void> {
  await tx.query('UPDATE accounting_journal SET records = $2, body = $3 WHERE id = $1', [id, records.length, encodeRecords(records)]);
}

/**
 * Moves the record of row `id` that cannot be rated to accounting_journal_rejected, inside `tx`: the row itself when
 * it holds just that record or does not decode, else its first record (the row keeps the rest; the rejected record
 * takes a new id from the journal's sequence). Returns how many records moved (0: no such row).
 */
export async function rejectJournalRecord(tx: Sql, id: number, error: string): Promise<number> {
  const rows = await tx.query<{ records: number; body: string }>('SELECT records, body FROM accounting_journal WHERE id = $1 FOR UPDATE', [id]);
  const row = rows[0];
  if (row === undefined) return 0;
  let records: AccountingRecord[] | null = null;
  if (row.records > 1) {
    try {
      records = decodeRecords(row.body);
    } catch {
      records = null; // the row itself is what cannot be read: it goes whole
    }
  }
  if (records === null || records.length <= 1) {
    await tx.query(
      `WITH gone AS (DELETE FROM accounting_journal WHERE id = $1 RETURNING id, received_at, records, body)
       INSERT INTO accounting_journal_rejected (id, received_at, records, body, error)
       SELECT id, received_at, records, body, $2 FROM gone`,
      [id, error],
    );
    return row.records;
  }
  // The pass that failed rated (only) this row's first record.
  const [first, ...rest] = records;
  await tx.query(
    `INSERT INTO accounting_journal_rejected (id, received_at, records, body, error)
     SELECT nextval(pg_get_serial_sequence('accounting_journal', 'id')), received_at, 1, $2, $3 FROM accounting_journal WHERE id = $1`,
    [id, encodeRecords(first === undefined ? [] : [first]), error],
  );
  await rewriteJournalRow(tx, id, rest);
  return 1;
}

/** The newest row's id (decimal), null when the journal is empty. */
export async function newestJournalRow(sql: Sql): Promise<string | null> {
  const top = await sql.query<{ id: string | null }>('SELECT max(id)::text AS id FROM accounting_journal');
  return top[0]?.id ?? null;
}

/** Rows with an id up to `id`, inclusive. */
export async function journalRowsUpTo(sql: Sql, id: string): Promise<number> {
  const rows = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM accounting_journal WHERE id <= $1::bigint', [id]);
  return rows[0]?.n ?? 0;
}

/** Records journaled and not rated, the age of the oldest (seconds), and the held records still pending review. */
export async function journalBacklog(sql: Sql): Promise<{ records: number; lagSeconds: number; heldPending: number }> {
  const rows = await sql.query<{ n: string; lag: number | null; held: number }>(
    `SELECT coalesce(sum(records), 0)::text AS n, extract(epoch FROM now() - min(received_at))::float8 AS lag,
            (SELECT count(*)::int FROM accounting_held WHERE state = 'held') AS held
     FROM accounting_journal`,
  );
  return { records: Number(rows[0]?.n ?? 0), lagSeconds: Math.max(0, rows[0]?.lag ?? 0), heldPending: rows[0]?.held ?? 0 };
}

/**
 * The journal writer's side on `sql` (not wrapped in StoreErrors: the writer logs the driver's error and the NAS
 * retransmits).
 */
export function accountingJournalRepository(sql: Sql): AccountingJournalStore {
  return {
    async append(records) {
      // One statement in autocommit: one round trip, one WAL flush.
      await sql.query('INSERT INTO accounting_journal (records, body) VALUES ($1, $2)', [records.length, encodeRecords(records)]);
    },
  };
}
