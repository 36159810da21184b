/**
 * Migration 11 on a database that has NAS rows: requireMessageAuthenticator true and false keep their meaning, a
 * row inserted afterwards without the column is auto, and nothing is marked as seen. PGlite always, PostgreSQL
 * when TEST_DATABASE_URL is set.
 */
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, runMigrations } from '../../src/store/migrations.js';
import { createStore } from '../../src/store/store.js';
import { createPGliteTestSql, createPostgresTestSql, type TestSql } from '../helpers/sql.js';

function upgrade(name: string, makeSql: () => Promise<TestSql>): void {
  it(`${name}: existing NAS rows keep true and false; new ones default to auto`, async () => {
    const db = await makeSql();
    try {
      const before = MIGRATIONS.filter((m) => m.version < 11);
      await runMigrations(db.sql, undefined, before);
      await db.sql.query(
        `INSERT INTO nas (name, address, secret, require_message_authenticator) VALUES ('strict', '192.0.2.1', 'secret-1', true), ('legacy', '192.0.2.2', 'secret-2', false)`,
      );
      expect(await runMigrations(db.sql)).toEqual({ applied: MIGRATIONS.filter((m) => m.version >= 11).map((m) => m.version) });
      await db.sql.query(`INSERT INTO nas (name, address, secret) VALUES ('fresh', '192.0.2.3', 'secret-3')`);
      const rows = await createStore(db.sql).nas.list();
      expect(rows.map((n) => [n.name, n.requireMessageAuthenticator, n.messageAuthenticatorSeenAt])).toEqual([
        ['strict', true, null],
        ['legacy', false, null],
        ['fresh', 'auto', null],
      ]);
      await expect(db.sql.query(`UPDATE nas SET require_message_authenticator = 'maybe' WHERE name = 'fresh'`)).rejects.toThrow(/nas_require_message_authenticator_check/);
    } finally {
      await db.cleanup();
    }
  });
}

describe('migration 11: requireMessageAuthenticator auto', () => {
  upgrade('PGlite', () => createPGliteTestSql());
  const url = process.env.TEST_DATABASE_URL;
  if (url) upgrade('PostgreSQL', () => createPostgresTestSql(url));
});
