/**
 * A fresh, isolated, empty database for a test file: PostgreSQL when TEST_DATABASE_URL is set (a schema of its
 * own, `tg_test_<random>`, set as search_path on every pooled connection, dropped by cleanup), else in-memory
 * PGlite (~3 s and ~700 MB: create one per file and share it). Call runMigrations, or pass { migrate: true }.
 */
import { randomBytes } from 'node:crypto';
import { runMigrations } from '../../src/store/migrations.js';
import { createPGliteSql } from '../../src/store/pglite.js';
import type { Sql } from '../../src/store/sql.js';
import { createPostgresSql } from '../../src/store/postgres.js';

export interface TestSql {
  readonly sql: Sql;
  /** Closes the connections and drops the test schema. */
  readonly cleanup: () => Promise<void>;
}

export interface TestSqlOptions {
  /** Apply every migration before returning (default false: an empty database). */
  readonly migrate?: boolean;
  /** Pool size on PostgreSQL (default 4). */
  readonly max?: number;
}

export async function createPGliteTestSql(options: TestSqlOptions = {}): Promise<TestSql> {
  const sql = await createPGliteSql('memory');
  if (options.migrate) await runMigrations(sql);
  return { sql, cleanup: () => sql.close() };
}

export async function createPostgresTestSql(url: string, options: TestSqlOptions = {}): Promise<TestSql> {
  const schema = `tg_test_${randomBytes(6).toString('hex')}`;
  const admin = createPostgresSql(url, { max: 1 });
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.close();
  }
  const sql = createPostgresSql(url, { max: options.max ?? 4, searchPath: schema, applicationName: `tollgate-test ${schema}` });
  if (options.migrate) await runMigrations(sql);
  return {
    sql,
    async cleanup() {
      await sql.close();
      const dropper = createPostgresSql(url, { max: 1 });
      try {
        await dropper.query(`DROP SCHEMA ${schema} CASCADE`);
      } finally {
        await dropper.close();
      }
    },
  };
}

/** PostgreSQL when TEST_DATABASE_URL is set, else PGlite. */
export function createTestSql(options: TestSqlOptions = {}): Promise<TestSql> {
  const url = process.env.TEST_DATABASE_URL;
  return url ? createPostgresTestSql(url, options) : createPGliteTestSql(options);
}
