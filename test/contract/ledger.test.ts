/**
 * The Ledger contract against PGlite (always, in memory) and PostgreSQL (when TEST_DATABASE_URL is set, in a
 * schema of its own, with a pool so concurrent payments really race).
 */
import { describe } from 'vitest';
import { createPGliteTestSql, createPostgresTestSql } from '../helpers/sql.js';
import { ledgerContract } from './ledger.contract.js';

ledgerContract('PGlite', () => createPGliteTestSql());

const url = process.env.TEST_DATABASE_URL;
describe.skipIf(!url)('PostgreSQL', () => {
  ledgerContract('PostgreSQL', () => createPostgresTestSql(url!, { max: 6 }));
});
