/**
 * The console's read routes over a real node:http server and a real Store (PGlite, or PostgreSQL when
 * TEST_DATABASE_URL is set): search by each key, the subscriber overview, the statement by day with its running
 * balance (JSON, the exact CSV bytes, a PDF), the dashboard figures on seeded rows, and the live stream (its first
 * event, the limit of 3 per operator). The reply preview and the NAS status against real Access-Requests are in
 * console-daemon.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/domain/ports.js';
import { liveStreamsOf } from '../../src/http/api/dashboard.js';
import { runMigrations } from '../../src/store/migrations.js';
import { createStore } from '../../src/store/store.js';
import type { Sql } from '../../src/store/sql.js';
import { expectError, startTestApi, TEST_API_TOKEN, type TestApi } from '../helpers/api.js';
import { createTestSql, type TestSql } from '../helpers/sql.js';

let db: TestSql;
let store: Store;
let api: TestApi;
const ids: Record<string, number> = {};
const accounts: Record<string, number> = {};

type Decision = { result: string; reason: string | null; reasonText: string | null };
type Overview = {
  subscriber: Record<string, unknown>;
  account: Record<string, unknown> & { stateSince: string };
  state: unknown;
  authLog: Decision[];
  openSessions: { framedIp: string | null }[];
  lastCoa: Record<string, unknown> | null;
};
type Dashboard = Record<string, unknown> & { decisions: unknown; accounting: unknown; coa: unknown; today: unknown; month: unknown };
type Hit = { subscriberId: number; username: string; accountId: number; accountState: string; matchedBy: string };

async function openSession(sql: Sql, s: { username: string; subscriberId: number; accountId: number; framedIp?: string; callingStationId?: string; startedAt?: string; stoppedAt?: string }): Promise<void> {
  const started = s.startedAt ?? new Date().toISOString();
  await sql.query(
    `INSERT INTO sessions (acct_unique_id, nas_name, acct_session_id, username, subscriber_id, account_id, framed_ip, calling_station_id,
       started_at, updated_at, stopped_at, last_status)
     VALUES ($1, 'bras-1', $1, $2, $3, $4, $5::inet, $6, $7, $7, $8, $9)`,
    [`u-${Math.random()}`, s.username, s.subscriberId, s.accountId, s.framedIp ?? null, s.callingStationId ?? null, started, s.stoppedAt ?? null, s.stoppedAt ? 'stop' : 'start'],
  );
}

async function search(q: string): Promise<Hit[]> {
  const r = await api.call('GET', `/api/v1/search?q=${encodeURIComponent(q)}`);
  expect(r.status, r.text).toBe(200);
  return (r.json as { items: Hit[] }).items;
}

beforeAll(async () => {
  db = await createTestSql();
  await runMigrations(db.sql);
  store = createStore(db.sql);
  api = await startTestApi(store, { console: { timeZone: 'UTC', currency: 'USD' } });
  const tariff = await store.tariffs.create({ name: 'Home', monthlyFee: 15_000, downKbps: 10_000, upKbps: 5_000 });
  // Accounts without subscribers first, so account ids and subscriber ids differ.
  for (let i = 0; i < 7; i++) await store.accounts.create({});
  for (const name of ['alice', 'alicia', 'stmt']) accounts[name] = (await store.accounts.create({})).id;
  const make = async (username: string, account: string, extra: object = {}): Promise<number> =>
    (ids[username] = (await store.subscribers.create({ username, password: `${username}-pw`, accountId: accounts[account]!, tariffId: tariff.id, ...extra })).id);
  await make('Alice.Smith', 'alice', { framedIp: '100.64.9.1', mac: 'aa:bb:cc:00:11:22' });
  await make('alicia', 'alicia');
  await make('bob', 'alicia');
  await make('al_under', 'alicia');
  await make('stmt-owner', 'stmt');
  await openSession(db.sql, { username: 'alicia', subscriberId: ids.alicia!, accountId: accounts.alicia!, framedIp: '100.64.9.50', callingStationId: 'AA-BB-CC-33-44-55' });
  // A stopped session holding an address is history, not a match.
  await openSession(db.sql, { username: 'bob', subscriberId: ids.bob!, accountId: accounts.alicia!, framedIp: '100.64.9.77', callingStationId: 'aabb.cc66.7788', startedAt: '2025-01-01T00:00:00Z', stoppedAt: '2025-01-01T01:00:00Z' });
});

afterAll(async () => {
  await api?.close();
  await db?.cleanup();
});

describe('GET /api/v1/search', () => {
  it('finds by login prefix, case-insensitively, and takes % and _ literally', async () => {
    expect((await search('ali')).map((h) => h.username)).toEqual(['Alice.Smith', 'alicia']);
    expect((await search('ALICE')).map((h) => [h.username, h.matchedBy])).toEqual([['Alice.Smith', 'login']]);
    expect((await search('al_')).map((h) => h.username)).toEqual(['al_under']);
    expect(await search('al%')).toEqual([]);
  });

  it('finds by static framed IP and by the IP of an open session (not a stopped one)', async () => {
    expect(await search('100.64.9.1')).toEqual([{ subscriberId: ids['Alice.Smith'], username: 'Alice.Smith', accountId: accounts.alice, accountState: 'active', matchedBy: 'framedIp' }]);
    expect((await search('100.64.9.50')).map((h) => [h.username, h.matchedBy])).toEqual([['alicia', 'sessionIp']]);
    expect(await search('100.64.9.77')).toEqual([]);
  });

  it('finds by MAC in any spelling: the binding and open sessions’ Calling-Station-Id', async () => {
    for (const q of ['aa:bb:cc:00:11:22', 'AA-BB-CC-00-11-22', 'aabb.cc00.1122', 'AABBCC001122']) {
      expect((await search(q)).map((h) => [h.username, h.matchedBy]), q).toEqual([['Alice.Smith', 'mac']]);
    }
    for (const q of ['aa:bb:cc:33:44:55', 'aabb.cc33.4455', 'aabbcc-334455']) {
      expect((await search(q)).map((h) => [h.username, h.matchedBy]), q).toEqual([['alicia', 'sessionMac']]);
    }
    expect(await search('aa:bb:cc:66:77:88')).toEqual([]);
  });

  it('finds by subscriber id and by account id (the account number)', async () => {
    expect((await search(String(ids.bob))).filter((h) => h.matchedBy === 'subscriberId').map((h) => h.username)).toEqual(['bob']);
    const byAccount = (await search(String(accounts.alicia))).filter((h) => h.matchedBy === 'accountId');
    expect(byAccount.map((h) => h.username).sort()).toEqual(['al_under', 'alicia', 'bob']);
  });

  it('limits the answer and refuses a missing q', async () => {
    const r = await api.call('GET', '/api/v1/search?q=a&limit=1');
    expect((r.json as { items: Hit[] }).items).toHaveLength(1);
    expectError(await api.call('GET', '/api/v1/search'), 400, 'VALIDATION_FAILED', 'q');
    expectError(await api.call('GET', '/api/v1/search?q=a&limit=0'), 400, 'VALIDATION_FAILED', 'limit');
  });
});

describe('GET /api/v1/subscribers/{id}/overview', () => {
  it('has the subscriber without secrets, the account and its state since when, decisions in words, open sessions and the last CoA', async () => {
    const at = (s: number) => new Date(Date.now() - s * 1000).toISOString();
    await store.authLog.append([
      { at: at(30), username: 'alicia', nas: 'bras-1', result: 'reject', reason: 'bad_password', method: 'pap', callingStationId: null, nasPort: null },
      { at: at(20), username: 'alicia', nas: 'bras-1', result: 'reject', reason: 'simultaneous_use', method: 'pap', callingStationId: null, nasPort: null },
      { at: at(10), username: 'alicia', nas: 'bras-1', result: 'accept', reason: null, method: 'pap', callingStationId: null, nasPort: '7' },
      { at: at(5), username: 'bob', nas: 'bras-1', result: 'accept', reason: null, method: 'pap', callingStationId: null, nasPort: null },
    ]);
    await store.coa.audit({ at: new Date(Date.now() - 60_000), nas: 'bras-1', sessionId: null, acctSessionId: 'x', username: 'alicia', request: 'coa', action: 'restrict', attempts: 1, result: 'ack', errorCause: null, rttMs: 3, transport: 'udp' });
    await store.coa.audit({ at: new Date(), nas: 'bras-1', sessionId: null, acctSessionId: 'x', username: 'alicia', request: 'disconnect', action: 'disconnect', attempts: 3, result: 'nak', errorCause: 503, rttMs: 4, transport: 'udp' });

    const r = await api.call('GET', `/api/v1/subscribers/${ids.alicia}/overview`);
    expect(r.status, r.text).toBe(200);
    const o = r.json as unknown as Overview;
    expect(o.subscriber).toMatchObject({ id: ids.alicia, username: 'alicia', accountId: accounts.alicia, hasCleartextPassword: true });
    expect(JSON.stringify(o)).not.toContain('alicia-pw');
    expect(o.account).toMatchObject({ id: accounts.alicia, balance: 0, creditLimit: 0, activeCredit: 0, state: 'active' });
    expect(o.state).toEqual({ state: 'active', since: o.account.stateSince, reason: 'created' });
    expect(o.authLog.map((e) => [e.result, e.reason, e.reasonText])).toEqual([
      ['accept', null, null],
      ['reject', 'simultaneous_use', 'Already has the maximum number of sessions (Simultaneous-Use)'],
      ['reject', 'bad_password', 'Wrong password'],
    ]);
    expect(o.openSessions.map((s) => s.framedIp)).toEqual(['100.64.9.50']);
    expect(o.lastCoa).toMatchObject({ request: 'disconnect', result: 'nak', errorCause: 503, attempts: 3 });

    const bob = (await api.call('GET', `/api/v1/subscribers/${ids.bob}/overview`)).json as unknown as Overview;
    expect(bob.openSessions).toEqual([]);
    expect(bob.lastCoa).toBeNull();
    expectError(await api.call('GET', '/api/v1/subscribers/999999/overview'), 404, 'NOT_FOUND');
  });
});

describe('GET /api/v1/accounts/{id}/statement', () => {
  beforeAll(async () => {
    const a = accounts.stmt!;
    const sql = db.sql;
    const [sub] = await sql.query<{ id: number }>(
      `INSERT INTO subscriptions (account_id, subscriber_id, tariff_id, activated_on) SELECT $1, $2, tariff_id, '2025-02-01' FROM subscribers WHERE id = $2 RETURNING id`,
      [a, ids['stmt-owner']],
    );
    await sql.query(`INSERT INTO payments (account_id, amount, external_id, created_at) VALUES ($1, 10000, 'stmt-1', '2025-03-01T10:00:00Z'), ($1, 5000, 'stmt-2', '2025-03-03T09:00:00Z')`, [a]);
    await sql.query(`INSERT INTO charges (account_id, kind, amount, subscription_id, fee_day, created_at) VALUES ($1, 'fee', 500, $2, '2025-03-02', '2025-03-02T00:30:00Z')`, [a, sub!.id]);
    await sql.query(`INSERT INTO charges (account_id, kind, amount, created_at) VALUES ($1, 'traffic', 1234, '2025-03-02T12:00:00Z'), ($1, 'one_off', 100, '2025-03-05T10:00:00Z')`, [a]);
    await sql.query(`INSERT INTO adjustments (account_id, amount, reason, created_at) VALUES ($1, -200, 'correction', '2025-03-03T10:00:00Z')`, [a]);
    await sql.query(`INSERT INTO credits (account_id, amount, expires_at, created_at, reason) VALUES ($1, 3000, now() + interval '30 days', '2025-03-03T11:00:00Z', 'promised payment')`, [a]);
    await sql.query('UPDATE accounts SET balance = 12966 WHERE id = $1', [a]);
  });

  it('answers the days with their running balance, from the balance now back to the first day', async () => {
    const r = await api.call('GET', `/api/v1/accounts/${accounts.stmt}/statement?from=2025-03-02&to=2025-03-04`);
    expect(r.status, r.text).toBe(200);
    expect(r.json).toEqual({
      accountId: accounts.stmt,
      from: '2025-03-02',
      to: '2025-03-04',
      timeZone: 'UTC',
      currency: 'USD',
      openingBalance: 10000,
      closingBalance: 13066,
      totals: { charges: 1234, fees: 500, payments: 5000, adjustments: -200, credits: 3000 },
      days: [
        { day: '2025-03-02', openingBalance: 10000, charges: 1234, fees: 500, payments: 0, adjustments: 0, credits: 0, closingBalance: 8266 },
        { day: '2025-03-03', openingBalance: 8266, charges: 0, fees: 0, payments: 5000, adjustments: -200, credits: 3000, closingBalance: 13066 },
      ],
    });
  });

  it('exports the same as CSV, byte for byte, as an attachment', async () => {
    const res = await fetch(`${api.base}/api/v1/accounts/${accounts.stmt}/statement/export?from=2025-03-02&to=2025-03-04&format=csv`, { headers: { authorization: `Bearer ${TEST_API_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="statement-${accounts.stmt}-2025-03-02-2025-03-04.csv"`);
    expect(await res.text()).toBe(
      'day,opening_balance,charges,fees,payments,adjustments,credits,closing_balance\r\n' +
        '2025-03-02,100.00,12.34,5.00,0.00,0.00,0.00,82.66\r\n' +
        '2025-03-03,82.66,0.00,0.00,50.00,-2.00,30.00,130.66\r\n',
    );
  });

  it('exports a printable PDF with pages', async () => {
    const res = await fetch(`${api.base}/api/v1/accounts/${accounts.stmt}/statement/export?from=2025-03-01&to=2025-03-31&format=pdf`, { headers: { authorization: `Bearer ${TEST_API_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toMatch(/%%EOF/);
    expect((pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length).toBeGreaterThanOrEqual(1);
  });

  it('refuses a bad range and an unknown account', async () => {
    expectError(await api.call('GET', `/api/v1/accounts/${accounts.stmt}/statement?from=2025-03-05&to=2025-03-01`), 400, 'VALIDATION_FAILED', 'from');
    expectError(await api.call('GET', `/api/v1/accounts/${accounts.stmt}/statement?from=2024-01-01&to=2025-03-01`), 400, 'VALIDATION_FAILED', 'to');
    expectError(await api.call('GET', `/api/v1/accounts/${accounts.stmt}/statement?from=2025-02-30`), 400, 'VALIDATION_FAILED', 'from');
    expectError(await api.call('GET', '/api/v1/accounts/999999/statement'), 404, 'NOT_FOUND');
    expectError(await api.call('GET', `/api/v1/accounts/${accounts.stmt}/statement/export?format=xls`), 400, 'VALIDATION_FAILED', 'format');
  });
});

describe('GET /api/v1/dashboard', () => {
  it('counts the seeded rows: online, decisions per minute, CoA, blocked, money today', async () => {
    const base = Date.UTC(2030, 0, 1, 12, 0, 0);
    const at = (minute: number, second: number) => new Date(base + minute * 60_000 + second * 1000).toISOString();
    const entry = (t: string, result: 'accept' | 'redirect' | 'reject') => ({ at: t, username: 'dash', nas: 'bras-1', result, reason: result === 'accept' ? null : 'blocked', method: 'pap', callingStationId: null, nasPort: null });
    await store.authLog.append([entry(at(0, 1), 'accept'), entry(at(0, 59), 'accept'), entry(at(0, 30), 'reject'), entry(at(2, 0), 'redirect'), entry(at(5, 0), 'accept')]);
    for (const result of ['ack', 'ack', 'ack', 'timeout'] as const) {
      await store.coa.audit({ at: new Date(base + 60_000), nas: 'bras-1', sessionId: null, acctSessionId: null, username: 'dash', request: 'coa', action: 'restrict', attempts: 1, result, errorCause: null, rttMs: 1, transport: 'udp' });
    }
    await openSession(db.sql, { username: 'bob', subscriberId: ids.bob!, accountId: accounts.alicia!, startedAt: at(1, 0) });
    await store.ledger.pay({ accountId: accounts.alice!, amount: 777, externalId: 'dash-today' });
    await store.ledger.adjust({ accountId: accounts.alice!, amount: -1000, reason: 'into debt' });
    // Usage charges reach the quarter-hour rollup (migration 15) from any insert, one statement of several rows too.
    await db.sql.query(`INSERT INTO charges (account_id, kind, amount) VALUES ($1, 'traffic', 40), ($1, 'time', 2)`, [accounts.alice!]);

    const r = await api.call('GET', `/api/v1/dashboard?from=${at(0, 0)}&to=${at(5, 0)}`);
    expect(r.status, r.text).toBe(200);
    const d = r.json as unknown as Dashboard;
    expect(d).toMatchObject({ from: at(0, 0), to: at(5, 0), timeZone: 'UTC', onlineSessions: 2, blockedAccounts: 1, bucketSeconds: 60 });
    expect(d.decisions).toEqual([
      { at: at(0, 0), accept: 2, redirect: 0, reject: 1 },
      { at: at(2, 0), accept: 0, redirect: 1, reject: 0 },
    ]);
    expect(d.accounting).toMatchObject({ sessionsStarted: 1, sessionsPerMinute: 0.2, unratedRecords: 0, oldestUnratedSeconds: 0 });
    expect(d.coa).toEqual({ total: 4, ack: 3, nak: 0, timeout: 1, aborted: 0, successRate: 0.75 });
    expect(d.today).toEqual({ payments: 777, charges: 42 });
    expect(d.month).toEqual({ payments: 777, charges: 42 });
    expectError(await api.call('GET', `/api/v1/dashboard?from=${at(5, 0)}&to=${at(0, 0)}`), 400, 'VALIDATION_FAILED', 'to');
  });
});

describe('GET /api/v1/dashboard/live', () => {
  const open = async (signal: AbortSignal): Promise<{ status: number; type: string | null; first: string }> => {
    const res = await fetch(`${api.base}/api/v1/dashboard/live`, { headers: { authorization: `Bearer ${TEST_API_TOKEN}` }, signal });
    if (res.status !== 200) return { status: res.status, type: res.headers.get('content-type'), first: await res.text() };
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('event: figures')) text += new TextDecoder().decode((await reader.read()).value as Uint8Array);
    while (!text.endsWith('\n\n')) text += new TextDecoder().decode((await reader.read()).value as Uint8Array);
    return { status: res.status, type: res.headers.get('content-type'), first: text };
  };

  it('sends the live figures at once, and at most 3 streams per operator', async () => {
    const controllers = [new AbortController(), new AbortController(), new AbortController()];
    const streams = [];
    for (const c of controllers) streams.push(await open(c.signal));
    const first = streams[0]!;
    expect(first.status).toBe(200);
    expect(first.type).toBe('text/event-stream; charset=utf-8');
    expect(first.first).toMatch(/^retry: 2000\n\n/);
    const data = JSON.parse(/event: figures\ndata: (.*)\n\n/.exec(first.first)![1]!) as Record<string, unknown>;
    expect(data).toMatchObject({ onlineSessions: 2, unratedRecords: 0, oldestUnratedSeconds: 0 });
    expect(typeof data.decisionsPerSecond).toBe('number');

    const fourth = await api.call('GET', '/api/v1/dashboard/live');
    expectError(fourth, 429, 'TOO_MANY_REQUESTS');
    expect(fourth.headers.get('retry-after')).toBe('5');

    for (const c of controllers) c.abort();
    for (let i = 0; i < 100 && liveStreamsOf('bootstrap') > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(liveStreamsOf('bootstrap')).toBe(0);
  });

  it('ends the streams when the listener drains, instead of holding the drain', async () => {
    const draining = await startTestApi(store, { console: { timeZone: 'UTC' } });
    try {
      const res = await fetch(`${draining.base}/api/v1/dashboard/live`, { headers: { authorization: `Bearer ${TEST_API_TOKEN}` } });
      const reader = res.body!.getReader();
      let text = '';
      while (!text.includes('event: figures')) text += new TextDecoder().decode((await reader.read()).value as Uint8Array);
      const started = Date.now();
      draining.closeStreams();
      while (!(await reader.read()).done);
      expect(Date.now() - started).toBeLessThan(1000);
      // Closed for good: a new stream ends after its first figures.
      const again = await fetch(`${draining.base}/api/v1/dashboard/live`, { headers: { authorization: `Bearer ${TEST_API_TOKEN}` } });
      expect(await again.text()).toMatch(/^retry: 2000\n\nevent: figures\ndata: .*\n\n$/);
    } finally {
      await draining.close();
    }
  });
});
