/**
 * The minute's housekeeping pass and the database preparation, on a real database (PGlite, or PostgreSQL with
 * TEST_DATABASE_URL): the stale-session sweep waits while rating is behind; the demo is seeded only when asked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { housekeepingPass } from '../../src/app/housekeeping.js';
import { prepareDatabase } from '../../src/app/database.js';
import { loadConfig, validateConfig } from '../../src/config/load.js';
import type { ChangeEvent, Store } from '../../src/domain/ports.js';
import type { Sql } from '../../src/store/sql.js';
import { createStore } from '../../src/store/store.js';
import { insertSession } from '../contract/sessions.contract.js';
import { createTestSql } from '../helpers/sql.js';
import { captureLog } from '../helpers/log.js';

// One database for the file (PGlite costs ~700 MB an instance); the demo seed runs first, on it empty.
let sql: Sql;
let cleanup: () => Promise<void>;
let store: Store;
beforeAll(async () => {
  ({ sql, cleanup } = await createTestSql({ migrate: true }));
  store = createStore(sql);
});
afterAll(() => cleanup());

describe('demo seed', () => {
  it('only with the built-in development defaults, or when a file asks for it (demo.seed)', async () => {
    const { log } = captureLog();
    const count = async () => Number((await sql.query<{ n: number }>('SELECT count(*) AS n FROM subscribers'))[0]?.n);
    // A configuration file that says nothing about it: no demo subscribers (embedded database only).
    const embedded: Sql = { kind: 'pglite', query: (t, p) => sql.query(t, p), copyIn: (t, c, r) => sql.copyIn(t, c, r), transaction: (fn) => sql.transaction(fn), close: () => Promise.resolve() };
    await prepareDatabase(embedded, validateConfig({}, 'test'), log);
    expect(await count()).toBe(0);
    await prepareDatabase(embedded, validateConfig({ demo: { seed: true } }, 'test'), log);
    expect(await count()).toBe(2);
    const dev = loadConfig({ env: {}, cwd: '/nonexistent-tollgate-dir' });
    expect(dev.source).toBe('built-in development defaults');
    expect(dev.config.demo.seed).toBe(true);
  });
});

describe('housekeeping pass', () => {

  it('ratingBehind: only a journal row older than the limit counts', async () => {
    expect(await store.housekeeping.ratingBehind(60)).toBe(false);
    await sql.query(`INSERT INTO accounting_journal (records, body) VALUES (1, '[]')`);
    expect(await store.housekeeping.ratingBehind(60)).toBe(false);
    await sql.query(`UPDATE accounting_journal SET received_at = now() - interval '2 minutes'`);
    expect(await store.housekeeping.ratingBehind(60)).toBe(true);
    expect(await store.housekeeping.ratingBehind(600)).toBe(false);
    await expect(store.housekeeping.ratingBehind(-1)).rejects.toThrow(RangeError);
    await sql.query('DELETE FROM accounting_journal');
  });

  it('closes stale sessions, except while rating is behind', async () => {
    const config = validateConfig({ sessions: { staleAfterSeconds: 3600 } }, 'test');
    const published: ChangeEvent[] = [];
    const changes = { publish: (e: ChangeEvent) => Promise.resolve(void published.push(e)) };
    const longAgo = new Date(Date.now() - 3 * 3_600_000).toISOString();
    const id = await insertSession(sql, { username: 'hk-stale', startedAt: longAgo, updatedAt: longAgo });

    await sql.query(`INSERT INTO accounting_journal (records, body, received_at) VALUES (1, '[]', now() - interval '5 minutes')`);
    const behind = captureLog();
    await housekeepingPass({ config: () => config, store, changes, log: behind.log });
    expect(behind.lines.map((l) => l.msg)).toContain('accounting rating is behind; stale-session sweep skipped');
    expect((await store.sessions.get(id))?.stoppedAt).toBeNull();

    await sql.query('DELETE FROM accounting_journal');
    const caughtUp = captureLog();
    await housekeepingPass({ config: () => config, store, changes, log: caughtUp.log });
    expect(caughtUp.lines.find((l) => l.msg === 'stale sessions closed')?.closed).toBe(1);
    expect((await store.sessions.get(id))?.terminateCause).toBe('Stale-Session');
  });
});
