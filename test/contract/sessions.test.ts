/**
 * The Sessions contract against PGlite (always, in memory) and PostgreSQL (when TEST_DATABASE_URL is set, in a
 * schema of its own).
 */
import { describe } from 'vitest';
import { createPGliteTestSql, createPostgresTestSql } from '../helpers/sql.js';
import { sessionsContract } from './sessions.contract.js';

sessionsContract('PGlite', () => createPGliteTestSql());

const url = process.env.TEST_DATABASE_URL;
describe.skipIf(!url)('PostgreSQL', () => {
  sessionsContract('PostgreSQL', () => createPostgresTestSql(url!));
});
