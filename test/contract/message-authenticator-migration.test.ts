/**
 * Migration 11 on a database that has NAS rows: requireMessageAuthenticator true and false keep their meaning, a
 * row inserted by SQL without the new columns is strict as before, one created through the store is auto, and
 * require_message_authenticator keeps saying what is required now (what a release without auto reads). PGlite always, PostgreSQL
 * when TEST_DATABASE_URL is set.
 */
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, runMigrations } from '../../src/store/migrations.js';
import { createStore } from '../../src/store/store.js';
import { createPGliteTestSql, createPostgresTestSql, type TestSql } from '../helpers/sql.js';

function upgrade(name: string, makeSql: () => Promise<TestSql>): void {
  it(`${name}: existing NAS rows keep true and false; new ones through the store are auto`, async () => {
    const db = await makeSql();
    try {
      const before = MIGRATIONS.filter((m) => m.version < 11);
      await runMigrations(db.sql, undefined, before);
      await db.sql.query(
        `INSERT INTO nas (name, address, secret, require_message_authenticator) VALUES ('strict', '192.0.2.1', 'secret-1', true), ('legacy', '192.0.2.2', 'secret-2', false)`,
      );
      expect(await runMigrations(db.sql)).toEqual({ applied: MIGRATIONS.filter((m) => m.version >= 11).map((m) => m.version) });
      await db.sql.query(`INSERT INTO nas (name, address, secret) VALUES ('by-sql', '192.0.2.3', 'secret-3')`);
      const store = createStore(db.sql);
      const auto = await store.nas.create({ name: 'auto', address: '192.0.2.4', secret: 'secret-4', vendor: 'generic' });
      const rows = await store.nas.list();
      expect(rows.map((n) => [n.name, n.requireMessageAuthenticator, n.messageAuthenticatorSeenAt])).toEqual([
        ['strict', true, null],
        ['legacy', false, null],
        ['by-sql', true, null],
        ['auto', 'auto', null],
      ]);
      const required = async (): Promise<boolean | undefined> =>
        (await db.sql.query<{ r: boolean }>('SELECT require_message_authenticator AS r FROM nas WHERE id = $1', [auto.id]))[0]?.r;
      expect(await required()).toBe(false);
      expect(await store.nas.messageAuthenticatorSeen(auto.id)).toBe(true);
      expect(await required()).toBe(true);
      expect((await store.nas.get(auto.id))?.requireMessageAuthenticator).toBe('auto');
      // false and back to auto: the sighting stands, so auto is strict again at once.
      await store.nas.update(auto.id, { requireMessageAuthenticator: false });
      expect(await required()).toBe(false);
      await store.nas.update(auto.id, { requireMessageAuthenticator: 'auto' });
      expect(await required()).toBe(true);
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
