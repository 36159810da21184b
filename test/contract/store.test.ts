/**
 * The Store contract against PGlite (always, in memory) and PostgreSQL (when TEST_DATABASE_URL is set, in a
 * schema of its own).
 */
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/domain/ports.js';
import { createPostgresSql } from '../../src/store/postgres.js';
import { createPGliteTestSql, createPostgresTestSql } from '../helpers/sql.js';
import { storeContract } from './store.contract.js';

storeContract('PGlite', () => createPGliteTestSql());

const url = process.env.TEST_DATABASE_URL;
describe.skipIf(!url)('PostgreSQL', () => {
  storeContract('PostgreSQL', () => createPostgresTestSql(url!));
});

describe('PostgreSQL adapter without a server', () => {
  it('reports a refused connection as StoreError STORE_UNAVAILABLE, for statements and transactions', async () => {
    const sql = createPostgresSql('postgres://postgres@127.0.0.1:1/test', { max: 1 });
    try {
      await expect(sql.query('SELECT 1')).rejects.toMatchObject({ name: 'StoreError', code: 'STORE_UNAVAILABLE' });
      await expect(sql.transaction((tx) => tx.query('SELECT 1'))).rejects.toBeInstanceOf(StoreError);
    } finally {
      await sql.close();
    }
  });
});
