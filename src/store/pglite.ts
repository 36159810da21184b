/**
 * `Sql` over PGlite (PostgreSQL in WebAssembly, in-process, one connection). PGlite already queues every
 * query and transaction behind one mutex, so concurrent callers are serialised; the one trap is calling the
 * outer Sql from inside a transaction (it would wait for itself forever), which is reported instead.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { lockDataDir } from './pglite-lock.js';
import type { Sql } from './sql.js';
import { PG_OID, lastRows, parseInt8, parseNumeric } from './sql-values.js';

const PARSERS = {
  [PG_OID.INT8]: parseInt8,
  [PG_OID.NUMERIC]: parseNumeric,
  [PG_OID.DATE]: (text: string): string => text,
};

type Runner = Pick<PGlite, 'query' | 'exec'> | Transaction;

async function run<T>(db: Runner, text: string, params: readonly unknown[] | undefined): Promise<T[]> {
  if (params === undefined || params.length === 0) {
    // exec() uses the simple protocol, so a migration may hold several statements.
    return lastRows(await db.exec(text)) as T[];
  }
  return (await db.query<T>(text, params as unknown[])).rows;
}

function transactionSql(tx: Transaction, depth: number): Sql {
  return {
    kind: 'pglite',
    query: (text, params) => run(tx, text, params),
    async transaction(fn) {
      const savepoint = `tg_sp_${depth}`;
      await tx.exec(`SAVEPOINT ${savepoint}`);
      try {
        const result = await fn(transactionSql(tx, depth + 1));
        await tx.exec(`RELEASE SAVEPOINT ${savepoint}`);
        return result;
      } catch (err) {
        await tx.exec(`ROLLBACK TO SAVEPOINT ${savepoint}`);
        throw err;
      }
    },
    close: () => Promise.reject(new Error('close the database, not a transaction')),
  };
}

/**
 * Opens (creating if needed) a PGlite database in `dataDir`, or an in-memory one for 'memory'.
 * Startup takes ~3 s and ~700 MB: open one per process and share it.
 */
export async function createPGliteSql(dataDir: string): Promise<Sql> {
  let db: PGlite;
  let unlock = (): void => undefined;
  if (dataDir === 'memory') {
    db = await PGlite.create({ parsers: PARSERS });
  } else {
    mkdirSync(dataDir, { recursive: true });
    // Another process on the same directory would silently fork the database: refuse instead.
    unlock = lockDataDir(dataDir);
    try {
      db = await PGlite.create(dataDir, { parsers: PARSERS });
    } catch (err) {
      unlock();
      throw err;
    }
  }
  const inTransaction = new AsyncLocalStorage<true>();
  const guard = (): void => {
    if (inTransaction.getStore()) {
      throw new Error('PGlite has one connection: inside transaction(fn) use the tx passed to fn, not the outer Sql');
    }
  };

  return {
    kind: 'pglite',
    query(text, params) {
      guard();
      return run(db, text, params);
    },
    transaction(fn) {
      guard();
      return db.transaction((tx) => inTransaction.run(true, () => fn(transactionSql(tx, 1))));
    },
    async close() {
      try {
        await db.close();
      } finally {
        unlock();
      }
    },
  };
}
