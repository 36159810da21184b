/**
 * Rating paths that only one batch exercises: a key archived and reused within the batch (the session
 * update must give the key up before the fresh row is inserted), charges on both generations with the balance,
 * usage month and state transition written by the batch's combined write statement, and the account_states
 * history that transition leaves. PGlite, or PostgreSQL when TEST_DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RatedAccounting } from '../helpers/accounting.js';
import { createLogger } from '../../src/observability/logger.js';
import type { Store } from '../../src/domain/ports.js';
import type { Sql } from '../../src/store/sql.js';
import { createStore } from '../../src/store/store.js';
import { createTestSql, type TestSql } from '../helpers/sql.js';
import { acct, STATUS } from '../unit/billing/packets.js';

const GB = 1_000_000_000;
const T0 = Date.UTC(2030, 2, 10, 12) / 1000;

let db: TestSql;
let sql: Sql;
let store: Store;
let writer: RatedAccounting;

beforeAll(async () => {
  db = await createTestSql({ migrate: true });
  sql = db.sql;
  store = createStore(sql);
  writer = new RatedAccounting(sql, { maxBatch: 256 }, createLogger('silent'));
});

afterAll(async () => {
  await writer?.stop();
  await db?.cleanup();
});

describe('rating: one batch', () => {
  it('archives a stopped session and starts its successor after Accounting-On in the same batch, charging both once', async () => {
    const tariff = await store.tariffs.create({ name: 'batch-reuse', pricePerGB: 1000, pricePerMinute: 6 });
    const account = await store.accounts.create({ creditLimit: 100_000 });
    await store.subscribers.create({ username: 'reuse', password: 'pw', accountId: account.id, tariffId: tariff.id });
    const nas = 'bras-batch-reuse';
    const r = (spec: Parameters<typeof acct>[1]) => acct(nas, { user: 'reuse', sid: 'R', ...spec });
    // Charge the first generation in its own batch, so the stopped row exists before the batch that reuses its id.
    await writer.submit(r({ status: STATUS.stop, at: T0 + 120, in: GB, out: 0, time: 120 }));
    const batch = [
      r({ status: STATUS.stop, at: T0 + 120, in: GB, out: 0, time: 120 }), // retransmitted Stop: nothing more
      acct(nas, { status: STATUS.on, at: T0 + 150 }), // the BRAS rebooted: its session ids start over
      r({ status: STATUS.start, at: T0 + 200 }),
      r({ status: STATUS.interim, at: T0 + 320, in: GB / 2, out: 0, time: 120 }),
      r({ status: STATUS.stop, at: T0 + 380, in: GB / 2, out: GB / 2, time: 180 }),
    ];
    const results = await Promise.all(batch.map((x) => writer.submit(x)));
    expect(results.every((x) => x.accountStateChanges.length === 0)).toBe(true);
    const rows = await sql.query<{ acct_unique_id: string; id: number; input_octets: number; output_octets: number; charged_traffic: number; charged_time: number }>(
      'SELECT id, acct_unique_id, input_octets, output_octets, charged_traffic, charged_time FROM sessions WHERE nas_name = $1 ORDER BY id',
      [nas],
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]!.acct_unique_id).toBe(`${nas.length}:${nas}:R#${rows[0]!.id}`);
    expect(rows[0]).toMatchObject({ input_octets: GB, charged_traffic: 1000, charged_time: 12 });
    expect(rows[1]!.acct_unique_id).toBe(`${nas.length}:${nas}:R`);
    expect(rows[1]).toMatchObject({ input_octets: GB / 2, output_octets: GB / 2, charged_traffic: 1000, charged_time: 18 });
    const [sums] = await sql.query<{ traffic: number; time: number; n: number; balance: number }>(
      `SELECT coalesce(sum(amount) FILTER (WHERE kind = 'traffic'), 0) AS traffic, coalesce(sum(amount) FILTER (WHERE kind = 'time'), 0) AS time,
              count(*)::int AS n, (SELECT balance FROM accounts WHERE id = $1) AS balance
       FROM charges WHERE account_id = $1`,
      [account.id],
    );
    expect(sums).toEqual({ traffic: 2000, time: 30, n: 4, balance: -2030 });
    const [usage] = await sql.query<{ octets: number; seconds: number; charged_traffic: number }>(
      'SELECT octets, seconds, charged_traffic FROM usage_monthly WHERE account_id = $1',
      [account.id],
    );
    expect(usage).toEqual({ octets: 2 * GB, seconds: 300, charged_traffic: 2000 });
    expect((await store.ledger.verify()).mismatches).toEqual([]);
  });

  it('a batch that blocks an account reports it once and closes the open state period', async () => {
    const tariff = await store.tariffs.create({ name: 'batch-block', pricePerGB: 1000 });
    const account = await store.accounts.create({ creditLimit: 500 });
    await store.subscribers.create({ username: 'blocky', password: 'pw', accountId: account.id, tariffId: tariff.id });
    const nas = 'bras-batch-block';
    const results = await Promise.all(
      ['X', 'Y'].map((sid, i) => writer.submit(acct(nas, { user: 'blocky', sid, status: STATUS.interim, at: T0 + 60 + i, in: GB / 2, out: 0, time: 60 }))),
    );
    expect(results.flatMap((x) => x.accountStateChanges)).toEqual([{ accountId: account.id, state: 'blocked' }]);
    const history = await sql.query<{ state: string; reason: string; open: boolean }>(
      'SELECT state, reason, until IS NULL AS open FROM account_states WHERE account_id = $1 ORDER BY id',
      [account.id],
    );
    expect(history).toEqual([
      { state: 'active', reason: 'created', open: false },
      { state: 'blocked', reason: 'charge', open: true },
    ]);
    const [a] = await sql.query<{ balance: number; state: string }>('SELECT balance, state FROM accounts WHERE id = $1', [account.id]);
    expect(a).toEqual({ balance: -1000, state: 'blocked' });
  });
});
