/**
 * The one thing only store/ sees: a PostgreSQL connection or pool (pg) or the embedded database (PGlite), with
 * the same SQL on both. Everything above store/ talks to the repositories of `Store` (src/domain/ports.ts).
 */

/** A PostgreSQL connection or pool. Parameters are $1, $2 … as in PostgreSQL. */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs `fn` in one transaction (BEGIN … COMMIT, ROLLBACK on throw). */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** 'postgres' or 'pglite', for logs and metrics. */
  readonly kind: 'postgres' | 'pglite';
}
