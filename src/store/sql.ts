/**
 * The one thing only store/ sees: a PostgreSQL connection or pool (pg) or the embedded database (PGlite), with
 * the same SQL on both. Everything above store/ talks to the repositories of `Store` (src/domain/ports.ts).
 */

/** A PostgreSQL connection or pool. Parameters are $1, $2 … as in PostgreSQL. */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /**
   * Bulk-loads rows with COPY … FROM STDIN: `rows` in COPY's text format, one line per row, fields separated by
   * tabs, `\\N` for null (copyLine builds a line). `table` and `columns` are identifiers from code, never input.
   * A row the database refuses fails the whole COPY (and its transaction) with the row's SQLSTATE.
   */
  copyIn(table: string, columns: readonly string[], rows: string): Promise<void>;
  /** Runs `fn` in one transaction (BEGIN … COMMIT, ROLLBACK on throw). */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** 'postgres' or 'pglite', for logs and metrics. */
  readonly kind: 'postgres' | 'pglite';
}
