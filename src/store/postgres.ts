/**
 * `Sql` over node-postgres: a pg.Pool for statements, one checked-out client per transaction. int8 and
 * numeric are parsed exactly (see sql-values.ts). Connection failures surface as StoreError
 * STORE_UNAVAILABLE so callers can tell "the database is down" (retry later, do not ack) from a bad query.
 */
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { StoreError } from '../domain/ports.js';
import type { Sql } from './sql.js';
import { PG_OID, lastRows, parseInt8, parseNumeric } from './sql-values.js';

export interface PostgresSqlOptions {
  /** Pool size (default 10). */
  readonly max?: number;
  /** Sets search_path on every pooled connection (the `options: '-c search_path=…'` startup parameter). */
  readonly searchPath?: string;
  readonly applicationName?: string;
  /** Errors of idle pooled connections (the pool replaces them); without a listener pg would crash the process. */
  readonly onIdleError?: (err: Error) => void;
}

const identityParser = (text: string): string => text;

function typeParser(oid: number, format?: string): (text: string) => unknown {
  switch (oid) {
    case PG_OID.INT8:
      return parseInt8;
    case PG_OID.NUMERIC:
      return parseNumeric;
    case PG_OID.DATE:
      return identityParser;
    default:
      return (format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text')) as (text: string) => unknown;
  }
}

// SQLSTATE classes that mean the server or connection is gone, not that the statement was wrong.
const UNAVAILABLE_STATE = /^(08|57P0[1-3]|53300|3D000)/;

function isUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return UNAVAILABLE_STATE.test(code);
  // Node socket errors (ECONNREFUSED, ETIMEDOUT…) and pg's own "Connection terminated" errors carry no SQLSTATE.
  return typeof code === 'string' || /connect|terminat|timeout|closed/i.test(err.message);
}

function mapError(err: unknown): unknown {
  if (err instanceof StoreError || !isUnavailable(err)) return err;
  return new StoreError('STORE_UNAVAILABLE', `PostgreSQL is unavailable: ${(err as Error).message}`, undefined, { cause: err });
}

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

async function run<T>(db: Queryable, text: string, params: readonly unknown[] | undefined): Promise<T[]> {
  try {
    if (params === undefined || params.length === 0) {
      // Simple protocol: a migration may hold several statements; pg then returns one result each.
      const result = (await db.query(text)) as pg.QueryResult | pg.QueryResult[];
      return Array.isArray(result) ? lastRows(result as { rows: T[] }[]) : (result.rows as T[]);
    }
    return (await db.query(text, params as unknown[])).rows as T[];
  } catch (err) {
    throw mapError(err);
  }
}

/** COPY … FROM STDIN on one connection; resolves once the server has taken every row. */
async function copyIn(client: pg.PoolClient, table: string, columns: readonly string[], rows: string): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
      stream.on('error', reject);
      stream.on('finish', resolve);
      stream.end(rows);
    });
  } catch (err) {
    throw mapError(err);
  }
}

/**
 * Runs `fn` on a client checked out of the pool and gives it back. A checked-out client's connection can die
 * between two statements (the server stopped, a failover): pg then emits 'error' on the client, which would crash
 * the process without a listener. The failing statement rejects anyway; the client is marked so it is destroyed
 * rather than returned to the pool, as it is when `fn` calls markBroken.
 */
async function checkedOut<T>(pool: pg.Pool, fn: (client: pg.PoolClient, markBroken: () => void) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (err) {
    throw mapError(err);
  }
  let broken = false;
  const markBroken = (): void => {
    broken = true;
  };
  client.on('error', markBroken);
  try {
    return await fn(client, markBroken);
  } finally {
    client.off('error', markBroken);
    client.release(broken);
  }
}

/** The Sql of one transaction; nested transactions become savepoints. */
function clientSql(client: pg.PoolClient, depth: number): Sql {
  return {
    kind: 'postgres',
    query: (text, params) => run(client, text, params),
    copyIn: (table, columns, rows) => copyIn(client, table, columns, rows),
    async transaction(fn) {
      const savepoint = `tg_sp_${depth}`;
      await run(client, `SAVEPOINT ${savepoint}`, undefined);
      try {
        const result = await fn(clientSql(client, depth + 1));
        await run(client, `RELEASE SAVEPOINT ${savepoint}`, undefined);
        return result;
      } catch (err) {
        await run(client, `ROLLBACK TO SAVEPOINT ${savepoint}`, undefined);
        throw err;
      }
    },
    close: () => Promise.reject(new Error('close the pool, not a transaction')),
  };
}

/**
 * @example
 * const sql = createPostgresSql('postgres://tollgate@db/tollgate', { max: 20 });
 * await sql.transaction(async (tx) => { await tx.query('UPDATE accounts SET balance = balance - $2 WHERE id = $1', [7, 100]); });
 */
export function createPostgresSql(url: string, options: PostgresSqlOptions = {}): Sql {
  const config: pg.PoolConfig = {
    connectionString: url,
    max: options.max ?? 10,
    types: { getTypeParser: typeParser as typeof pg.types.getTypeParser },
    application_name: options.applicationName ?? 'tollgate',
  };
  if (options.searchPath !== undefined) config.options = `-c search_path=${options.searchPath}`;
  const pool = new pg.Pool(config);
  pool.on('error', options.onIdleError ?? (() => undefined));

  return {
    kind: 'postgres',
    query: (text, params) => run(pool, text, params),
    copyIn: (table, columns, rows) =>
      checkedOut(pool, async (client, markBroken) => {
        try {
          await copyIn(client, table, columns, rows);
        } catch (err) {
          // A refused row leaves the connection usable (the server ends the COPY); a lost one does not.
          if (err instanceof StoreError) markBroken();
          throw err;
        }
      }),
    transaction: (fn) =>
      checkedOut(pool, async (client, markBroken) => {
        try {
          await run(client, 'BEGIN', undefined);
          const result = await fn(clientSql(client, 1));
          await run(client, 'COMMIT', undefined);
          return result;
        } catch (err) {
          try {
            await client.query('ROLLBACK');
          } catch {
            markBroken(); // the connection is unusable: destroy it rather than return it to the pool
          }
          throw err;
        }
      }),
    close: () => pool.end(),
  };
}
