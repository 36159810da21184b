/**
 * Accounting at the daemon level, through real UDP: a BRAS failing over between two instances on one database
 * (the same packets, retransmitted to both) is charged once; while the database refuses writes nothing is
 * acknowledged, and the retransmission after it recovers is charged once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Code } from '../../src/radius/codes.js';
import { rederiveAccountStates } from '../../src/store/account-state.js';
import type { Sql } from '../../src/store/sql.js';
import { createStore } from '../../src/store/store.js';
import { SECRET, startTestDaemon, testConfigInput, type TestDaemon } from '../helpers/daemon.js';
import { accountingRequest, exchange } from '../helpers/udp-client.js';

const secret = Buffer.from(SECRET);

/** An Accounting-Request; `delay` changes Acct-Delay-Time (a retransmission with a new Identifier does). */
const accounting = (user: string, session: string, status: number, seconds: number, id: number, delay = 0): Buffer =>
  accountingRequest(secret, user, session, status, seconds, id, delay);

async function seed(sql: Sql): Promise<void> {
  const store = createStore(sql);
  const tariff = await store.tariffs.create({ name: 'per-minute', pricePerMinute: 10 });
  for (const username of ['roamer', 'patient']) {
    const account = await store.accounts.create({});
    await sql.transaction(async (tx) => {
      await tx.query(`INSERT INTO payments (account_id, amount, external_id) VALUES ($1, 100000, $2)`, [account.id, `open-${username}`]);
      await tx.query('UPDATE accounts SET balance = 100000 WHERE id = $1', [account.id]);
      await rederiveAccountStates(tx, [account.id], 'test');
    });
    await store.subscribers.create({ username, password: 'pw', accountId: account.id, tariffId: tariff.id });
  }
}

async function charged(sql: Sql, user: string): Promise<number> {
  const [row] = await sql.query<{ total: number }>(
    `SELECT coalesce(sum(c.amount), 0)::bigint AS total FROM charges c JOIN subscribers s ON s.account_id = c.account_id WHERE s.username = $1 AND c.kind = 'time'`,
    [user],
  );
  return Number(row?.total ?? 0);
}

describe('accounting through the daemon', () => {
  let a: TestDaemon;
  let b: TestDaemon;
  beforeAll(async () => {
    const input = { ...testConfigInput({ users: [], fees: { enabled: false } }) };
    a = await startTestDaemon(input, seed);
    b = await startTestDaemon(testConfigInput({ users: [], fees: { enabled: false } }), undefined, a);
  });
  afterAll(async () => {
    await b.stop();
    await a.stop();
  });

  it('a BRAS failing over between two instances, retransmitting to both, is charged once', async () => {
    const start = accounting('roamer', 'fo-1', 1, 0, 1, 1000); // began 1000 s ago
    const interim = accounting('roamer', 'fo-1', 3, 600, 2); // 10 minutes at 10 per minute = 100
    const retransmitted = accounting('roamer', 'fo-1', 3, 600, 3, 5); // new Identifier, larger Acct-Delay-Time
    const stop = accounting('roamer', 'fo-1', 2, 900, 4); // 15 minutes in all = 150
    for (const packet of [start, interim]) expect((await exchange(a.app.ports.acct, packet))?.[0]).toBe(Code.AccountingResponse);
    // Instance A "fails": the BRAS sends the same packets and the retransmission to instance B.
    for (const packet of [start, interim, retransmitted]) expect((await exchange(b.app.ports.acct, packet))?.[0]).toBe(Code.AccountingResponse);
    // Both instances at once, racing.
    const replies = await Promise.all([exchange(a.app.ports.acct, stop), exchange(b.app.ports.acct, stop), exchange(a.app.ports.acct, retransmitted)]);
    expect(replies.every((r) => r?.[0] === Code.AccountingResponse)).toBe(true);
    // Acknowledged means journaled; both instances' raters rate the shared journal.
    await Promise.all([a.app.drainAccounting(), b.app.drainAccounting()]);
    expect(await charged(a.sql, 'roamer')).toBe(150);
    const sessions = await a.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM sessions WHERE username = 'roamer'`);
    expect(sessions[0]?.n).toBe(1);
    expect((await a.app.store.ledger.verify()).mismatches).toEqual([]);
  });
});

describe('accounting while the database refuses writes', () => {
  let d: TestDaemon;
  let failing = false;
  beforeAll(async () => {
    d = await startTestDaemon(testConfigInput({ users: [], fees: { enabled: false } }), seed);
    // A database that stops accepting writes (a failover, a full disk): every transaction and the journal's
    // INSERT fail, as the daemon sees them.
    const real = d.appSql;
    const refused = (): Promise<never> => Promise.reject(Object.assign(new Error('database unavailable (test)'), { code: '57P01' }));
    const transaction = real.transaction.bind(real);
    const query = real.query.bind(real);
    (real as { transaction: Sql['transaction'] }).transaction = (fn) => (failing ? refused() : transaction(fn));
    (real as { query: Sql['query'] }).query = (text, params) => (failing && /^INSERT INTO accounting_journal/.test(text) ? refused() : query(text, params));
  });
  afterAll(() => d.stop());

  it('acknowledges nothing while it is down, and the retransmission after recovery is charged once', async () => {
    const { acct } = d.app.ports;
    // The Start happened 700 s ago (its Acct-Delay-Time), so the later records fall inside the session.
    expect((await exchange(acct, accounting('patient', 'down-1', 1, 0, 1, 700)))?.[0]).toBe(Code.AccountingResponse);
    failing = true;
    expect(await exchange(acct, accounting('patient', 'down-1', 3, 600, 2), { timeoutMs: 700 })).toBeNull();
    expect(await exchange(acct, accounting('patient', 'down-1', 3, 600, 3, 3), { timeoutMs: 700 })).toBeNull();
    expect(await charged(d.sql, 'patient')).toBe(0);
    failing = false;
    expect((await exchange(acct, accounting('patient', 'down-1', 3, 600, 4, 6)))?.[0]).toBe(Code.AccountingResponse);
    expect((await exchange(acct, accounting('patient', 'down-1', 3, 600, 5, 9)))?.[0]).toBe(Code.AccountingResponse);
    await d.app.drainAccounting();
    expect(await charged(d.sql, 'patient')).toBe(100);
    const dropped = (await d.metrics()).split('\n').find((l) => l.startsWith('tollgate_radius_dropped_total{reason="handler_error"}'));
    expect(Number(dropped?.split(' ')[1])).toBeGreaterThanOrEqual(2);
  });
});
