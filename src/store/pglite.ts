/**
 * `Sql` over PGlite (PostgreSQL in WebAssembly, in-process, one connection). PGlite already queues every
 * query and transaction behind one mutex, so concurrent callers are serialised; the one trap is calling the
 * outer Sql from inside a transaction (it would wait for itself forever), which is reported instead.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { DurableNodeFS, durableStartParams } from './pglite-fsync.js';
import { ensureDataDir, type DataDirOrigin } from './pglite-initdb.js';
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

/** COPY from a Blob: PGlite reads `/dev/blob` as the statement's input. */
async function copyIn(db: Runner, table: string, columns: readonly string[], rows: string): Promise<void> {
  await db.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`, [], { blob: new Blob([rows]) });
}

function transactionSql(tx: Transaction, depth: number): Sql {
  return {
    kind: 'pglite',
    query: (text, params) => run(tx, text, params),
    copyIn: (table, columns, rows) => copyIn(tx, table, columns, rows),
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

/** PostgreSQL settings of the embedded database (database.pglite* in the config). */
export interface PGliteOptions {
  /**
   * shared_buffers in MB (database.pgliteSharedBuffersMb). PostgreSQL's 128 MB default lives in the WebAssembly
   * heap and is most of PGlite's resident memory; the data files are in the OS page cache anyway.
   */
  readonly sharedBuffersMb?: number;
  /** The template a new data directory is copied from (pglite-initdb.ts; default dist/pglite-template). */
  readonly templateDir?: string;
}

export const DEFAULT_SHARED_BUFFERS_MB = 16;

/**
 * PGlite's own start parameters plus ours. wal_buffers is pinned at what 128 MB of shared_buffers gave (4 MB;
 * it defaults to 1/32 of shared_buffers): a journal group commit of 1000 records stays one WAL write.
 */
export function pgliteStartParams(options: PGliteOptions = {}): string[] {
  const sharedBuffersMb = options.sharedBuffersMb ?? DEFAULT_SHARED_BUFFERS_MB;
  return [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffersMb}MB`, '-c', 'wal_buffers=4MB'];
}

/** An opened embedded database and how its directory came to be (for the start-up log). */
export interface OpenedPGlite {
  readonly sql: Sql;
  readonly origin: DataDirOrigin;
  /** Milliseconds to make the directory (copy or initdb; 0 when it existed) and to start PostgreSQL in it. */
  readonly createMs: number;
  readonly startMs: number;
  /** fsync(2) calls made so far for PostgreSQL (0 in memory). */
  readonly fsyncs: () => number;
}

/**
 * Opens (creating if needed) a PGlite database in `dataDir`, or an in-memory one for 'memory'.
 * Start-up takes ~1–2 s and ~170 MB (a new directory from the template as well): open one per process and share it.
 */
export async function createPGliteSql(dataDir: string, options: PGliteOptions = {}): Promise<Sql> {
  return (await openPGlite(dataDir, options)).sql;
}

export async function openPGlite(dataDir: string, options: PGliteOptions = {}): Promise<OpenedPGlite> {
  let db: PGlite;
  let unlock = (): void => undefined;
  let origin: DataDirOrigin;
  let fs: DurableNodeFS | undefined;
  const began = performance.now();
  let createMs = 0;
  const startParams = pgliteStartParams(options);
  if (dataDir === 'memory') {
    db = await PGlite.create({ parsers: PARSERS, startParams });
  } else {
    mkdirSync(dirname(dataDir), { recursive: true });
    // Another process on the same directory would silently fork the database: refuse instead.
    unlock = lockDataDir(dataDir);
    try {
      origin = await ensureDataDir(dataDir, options.templateDir);
      // Only a directory made now has a creation time (the check of an existing one is start-up, not creation).
      createMs = origin === undefined ? 0 : performance.now() - began;
      // Commits fsync'd before they return (pglite-fsync.ts): PGlite alone never syncs the disk.
      fs = new DurableNodeFS(dataDir);
      db = await PGlite.create(dataDir, { parsers: PARSERS, startParams: durableStartParams(startParams), fs });
    } catch (err) {
      unlock();
      throw err;
    }
  }
  const startMs = performance.now() - began - createMs;
  const inTransaction = new AsyncLocalStorage<true>();
  const guard = (): void => {
    if (inTransaction.getStore()) {
      throw new Error('PGlite has one connection: inside transaction(fn) use the tx passed to fn, not the outer Sql');
    }
  };

  const sql: Sql = {
    kind: 'pglite',
    query(text, params) {
      guard();
      return run(db, text, params);
    },
    copyIn(table, columns, rows) {
      guard();
      return copyIn(db, table, columns, rows);
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
  return { sql, origin, createMs: Math.round(createMs), startMs: Math.round(startMs), fsyncs: () => fs?.fsyncs ?? 0 };
}
