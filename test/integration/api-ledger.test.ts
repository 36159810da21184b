/**
 * The ledger routes of the admin API over a real node:http server and a real Store (PGlite, or PostgreSQL when
 * TEST_DATABASE_URL is set): idempotent payments (retries and concurrent deliveries applied once), conflicts,
 * adjustments, temporary credits unblocking an account, statements, validation, change events, the ledger
 * invariant after all of it, and `tollgate ledger verify` from the built CLI.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiRoutes } from '../../src/http/api/index.js';
import { runMigrations } from '../../src/store/migrations.js';
import { createPGliteSql } from '../../src/store/pglite.js';
import type { Store } from '../../src/domain/ports.js';
import type { Sql } from '../../src/store/sql.js';
import { createStore } from '../../src/store/store.js';
import { expectError, startTestApi, type ApiBody, type ApiReply, type TestApi } from '../helpers/api.js';
import { buildCli, runCli, writeCliConfig } from '../helpers/cli.js';
import { createTestSql, type TestSql } from '../helpers/sql.js';

const TOKEN = 'test-admin-token-ledger-8b2e';

type Body = ApiBody;

type Reply = ApiReply<Body>;

let testSql: TestSql | undefined;
let store: Store;
let api: TestApi<Body>;

const call = (method: string, path: string, body?: unknown): Promise<Reply> => api.call(method, path, body);

const externalId = () => `psp:${randomBytes(6).toString('hex')}`;
const eventsSince = (mark: number) => api.events.slice(mark);

async function newAccount(creditLimit = 0): Promise<number> {
  const r = await call('POST', '/api/v1/accounts', { creditLimit });
  expect(r.status, r.text).toBe(201);
  return r.json.id;
}

async function account(id: number): Promise<Body> {
  const r = await call('GET', `/api/v1/accounts/${id}`);
  expect(r.status, r.text).toBe(200);
  return r.json;
}

/** A charge the way rating writes it (row + balance in one transaction), then the state re-derived. */
async function charge(sql: Sql, accountId: number, amount: number, comment = 'test'): Promise<void> {
  await sql.transaction(async (tx) => {
    await tx.query("INSERT INTO charges (account_id, kind, amount, comment) VALUES ($1, 'one_off', $2, $3)", [accountId, amount, comment]);
    await tx.query('UPDATE accounts SET balance = balance - $2 WHERE id = $1', [accountId, amount]);
  });
  await store.accounts.update(accountId, {});
}

beforeAll(async () => {
  testSql = await createTestSql();
  await runMigrations(testSql.sql);
  store = createStore(testSql.sql);
  api = await startTestApi<Body>(store, { token: TOKEN });
});

afterAll(async () => {
  await api?.close();
  await testSql?.cleanup();
});

describe('payments', () => {
  it('answers 201 for a new payment and 200 with the same payment for a retry, applying it once', async () => {
    const id = await newAccount();
    const body = { accountId: id, amount: 1500, externalId: externalId(), comment: 'card' };
    const mark = api.events.length;
    const created = await call('POST', '/api/v1/payments', body);
    expect(created.status, created.text).toBe(201);
    expect(created.json).toEqual({ id: expect.any(Number), accountId: id, amount: 1500, externalId: body.externalId, comment: 'card', createdAt: expect.any(String), operatorId: null, operatorLogin: null });
    expect(eventsSince(mark)).toEqual([{ kind: 'account', id }]);

    const retry = await call('POST', '/api/v1/payments', body);
    expect(retry.status, retry.text).toBe(200);
    expect(retry.json).toEqual(created.json);
    expect(eventsSince(mark)).toHaveLength(1);
    expect((await account(id)).balance).toBe(1500);
  });

  it('applies concurrent identical deliveries once: one 201, the rest 200', async () => {
    const id = await newAccount();
    const body = { accountId: id, amount: 990, externalId: externalId() };
    const replies = await Promise.all(Array.from({ length: 6 }, () => call('POST', '/api/v1/payments', body)));
    expect(replies.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(replies.map((r) => r.json.id)).size).toBe(1);
    expect((await account(id)).balance).toBe(990);
    expect((await call('GET', `/api/v1/accounts/${id}/payments`)).json.total).toBe(1);
  });

  it('answers 409 CONFLICT on externalId when it belongs to a payment of another amount or account', async () => {
    const a = await newAccount();
    const b = await newAccount();
    const ext = externalId();
    expect((await call('POST', '/api/v1/payments', { accountId: a, amount: 100, externalId: ext })).status).toBe(201);
    expectError(await call('POST', '/api/v1/payments', { accountId: a, amount: 101, externalId: ext }), 409, 'CONFLICT', 'externalId');
    expectError(await call('POST', '/api/v1/payments', { accountId: b, amount: 100, externalId: ext }), 409, 'CONFLICT', 'externalId');
    expect((await account(a)).balance).toBe(100);
    expect((await account(b)).balance).toBe(0);
  });

  it('refuses fractional, zero, negative and string amounts (400 naming amount) and an unknown account (422)', async () => {
    const id = await newAccount();
    for (const amount of [15.5, 0, -100, '1500', null]) {
      const r = await call('POST', '/api/v1/payments', { accountId: id, amount, externalId: externalId() });
      expectError(r, 400, 'VALIDATION_FAILED', 'amount');
    }
    const fraction = await call('POST', '/api/v1/payments', { accountId: id, amount: 15.5, externalId: externalId() });
    expect(fraction.json.error.message).toMatch(/not a fraction/);
    const missing = await call('POST', '/api/v1/payments', { accountId: id, amount: 1, extrnalId: 'x' });
    expectError(missing, 400, 'VALIDATION_FAILED');
    expect(missing.json.error.details.map((d) => d.field).sort()).toEqual(['externalId', 'extrnalId']);
    expectError(await call('POST', '/api/v1/payments', { accountId: 987_654_321, amount: 1, externalId: externalId() }), 422, 'REFERENCE', 'accountId');
    expect((await account(id)).balance).toBe(0);
  });
});

describe('adjustments', () => {
  it('answers 201 and moves the balance by a signed amount, re-deriving the state, with an event', async () => {
    const id = await newAccount(100);
    const mark = api.events.length;
    const debit = await call('POST', '/api/v1/adjustments', { accountId: id, amount: -250, reason: 'manual debit' });
    expect(debit.status, debit.text).toBe(201);
    expect(debit.json).toEqual({ id: expect.any(Number), accountId: id, amount: -250, reason: 'manual debit', createdAt: expect.any(String), operatorId: null, operatorLogin: null });
    expect(await account(id)).toMatchObject({ balance: -250, state: 'blocked' });
    expect((await call('POST', '/api/v1/adjustments', { accountId: id, amount: 150, reason: 'refund' })).status).toBe(201);
    expect(await account(id)).toMatchObject({ balance: -100, state: 'active' });
    expect(eventsSince(mark)).toEqual([
      { kind: 'account', id },
      { kind: 'account', id },
    ]);
  });

  it('refuses zero and fractional amounts, an empty reason and an unknown account', async () => {
    const id = await newAccount();
    expectError(await call('POST', '/api/v1/adjustments', { accountId: id, amount: 0, reason: 'x' }), 400, 'VALIDATION_FAILED', 'amount');
    expectError(await call('POST', '/api/v1/adjustments', { accountId: id, amount: -0.5, reason: 'x' }), 400, 'VALIDATION_FAILED', 'amount');
    expectError(await call('POST', '/api/v1/adjustments', { accountId: id, amount: 5, reason: '' }), 400, 'VALIDATION_FAILED', 'reason');
    expectError(await call('POST', '/api/v1/adjustments', { accountId: 987_654_321, amount: 5, reason: 'x' }), 422, 'REFERENCE', 'accountId');
    expect((await account(id)).balance).toBe(0);
  });
});

describe('credits', () => {
  it('unblocks a blocked account: state changes in the account resource and the snapshot, with an account event', async () => {
    const id = await newAccount();
    const username = `ledger-${randomBytes(4).toString('hex')}`;
    expect((await call('POST', '/api/v1/subscribers', { username, password: 'pw-ledger-1', accountId: id })).status).toBe(201);
    await charge(testSql!.sql, id, 700);
    expect(await account(id)).toMatchObject({ balance: -700, state: 'blocked' });
    expect((await store.subscribers.snapshot(username))?.accountState).toBe('blocked');

    const mark = api.events.length;
    const r = await call('POST', `/api/v1/accounts/${id}/credits`, { amount: 700, days: 3, reason: 'promised payment' });
    expect(r.status, r.text).toBe(201);
    expect(r.json).toMatchObject({ accountId: id, amount: 700, reason: 'promised payment', active: true });
    const expiresIn = Date.parse(r.json.expiresAt as string) - Date.now();
    expect(expiresIn).toBeGreaterThan(3 * 86_400_000 - 60_000);
    expect(expiresIn).toBeLessThanOrEqual(3 * 86_400_000);
    expect(eventsSince(mark)).toEqual([{ kind: 'account', id }]);
    expect(await account(id)).toMatchObject({ balance: -700, activeCredit: 700, state: 'active' });
    expect((await store.subscribers.snapshot(username))?.accountState).toBe('active');

    const at = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const second = await call('POST', `/api/v1/accounts/${id}/credits`, { amount: 50, expiresAt: at, reason: 'goodwill' });
    expect(second.status, second.text).toBe(201);
    expect(second.json.expiresAt).toBe(at);
    const list = await call('GET', `/api/v1/accounts/${id}/credits`);
    expect(list.status).toBe(200);
    expect(list.json).toMatchObject({ total: 2, limit: 50, offset: 0 });
    expect(list.json.items.map((c) => c.id)).toEqual([second.json.id, r.json.id]);
  });

  it('needs exactly one of days and expiresAt, in range and in the future; 404 for an unknown account', async () => {
    const id = await newAccount();
    const path = `/api/v1/accounts/${id}/credits`;
    expectError(await call('POST', path, { amount: 10, reason: 'x' }), 400, 'VALIDATION_FAILED', 'days');
    expectError(await call('POST', path, { amount: 10, days: 1, expiresAt: new Date(Date.now() + 3_600_000).toISOString(), reason: 'x' }), 400, 'VALIDATION_FAILED', 'expiresAt');
    expectError(await call('POST', path, { amount: 10, days: 0, reason: 'x' }), 400, 'VALIDATION_FAILED', 'days');
    expectError(await call('POST', path, { amount: 10, days: 366, reason: 'x' }), 400, 'VALIDATION_FAILED', 'days');
    expectError(await call('POST', path, { amount: 10, expiresAt: '2020-01-01T00:00:00Z', reason: 'x' }), 400, 'VALIDATION_FAILED', 'expiresAt');
    expectError(await call('POST', path, { amount: 10, expiresAt: '2020-01-01', reason: 'x' }), 400, 'VALIDATION_FAILED', 'expiresAt');
    expectError(await call('POST', path, { amount: 1.5, days: 1, reason: 'x' }), 400, 'VALIDATION_FAILED', 'amount');
    expectError(await call('POST', path, { amount: 0, days: 1, reason: 'x' }), 400, 'VALIDATION_FAILED', 'amount');
    expect((await call('GET', path)).json.total).toBe(0);
    expectError(await call('POST', '/api/v1/accounts/987654321/credits', { amount: 10, days: 1, reason: 'x' }), 404, 'NOT_FOUND');
    expectError(await call('GET', '/api/v1/accounts/987654321/credits'), 404, 'NOT_FOUND');
  });
});

describe('statements', () => {
  it('lists charges, payments and adjustments newest first with limit/offset and totals', async () => {
    const id = await newAccount();
    for (const n of [1, 2, 3]) await charge(testSql!.sql, id, n * 100, `charge ${n}`);
    const payments = [];
    for (const amount of [1000, 2000]) payments.push((await call('POST', '/api/v1/payments', { accountId: id, amount, externalId: externalId() })).json);
    const adj = (await call('POST', '/api/v1/adjustments', { accountId: id, amount: -1, reason: 'rounding' })).json;

    const charges = await call('GET', `/api/v1/accounts/${id}/charges?limit=2&offset=1`);
    expect(charges.status, charges.text).toBe(200);
    expect(charges.json).toMatchObject({ total: 3, limit: 2, offset: 1 });
    expect(charges.json.items.map((c) => [c.amount, c.kind, c.comment])).toEqual([
      [200, 'one_off', 'charge 2'],
      [100, 'one_off', 'charge 1'],
    ]);
    expect(charges.json.items[0]).toEqual({
      id: expect.any(Number),
      accountId: id,
      kind: 'one_off',
      amount: 200,
      sessionId: null,
      subscriptionId: null,
      feeDay: null,
      comment: 'charge 2',
      createdAt: expect.any(String),
    });
    const paid = await call('GET', `/api/v1/accounts/${id}/payments`);
    expect(paid.json).toEqual({ items: [payments[1], payments[0]], total: 2, limit: 50, offset: 0 });
    expect((await call('GET', `/api/v1/accounts/${id}/adjustments`)).json).toEqual({ items: [adj], total: 1, limit: 50, offset: 0 });
    expect((await account(id)).balance).toBe(3000 - 600 - 1);
  });

  it('answers 404 for an unknown account and 400 for bad paging', async () => {
    for (const what of ['charges', 'payments', 'adjustments']) {
      expectError(await call('GET', `/api/v1/accounts/987654321/${what}`), 404, 'NOT_FOUND');
    }
    const id = await newAccount();
    expectError(await call('GET', `/api/v1/accounts/${id}/charges?limit=0`), 400, 'VALIDATION_FAILED', 'limit');
    expectError(await call('GET', `/api/v1/accounts/${id}/payments?limit=1.5`), 400, 'VALIDATION_FAILED', 'limit');
    expectError(await call('GET', `/api/v1/accounts/${id}/payments?sort=asc`), 400, 'VALIDATION_FAILED', 'sort');
  });

  it('describes every ledger route and schema in the OpenAPI document', async () => {
    const doc = (await call('GET', '/api/v1/openapi.json')).json as unknown as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(Object.keys(doc.paths['/api/v1/payments']!.post!.responses)).toEqual(expect.arrayContaining(['200', '201', '400', '409', '422']));
    for (const path of [
      '/api/v1/accounts/{id}/charges',
      '/api/v1/accounts/{id}/payments',
      '/api/v1/accounts/{id}/adjustments',
      '/api/v1/accounts/{id}/credits',
      '/api/v1/accounts/{id}/statement',
      '/api/v1/accounts/{id}/statement/export',
    ]) {
      expect(doc.paths[path]?.get, path).toBeDefined();
    }
    for (const name of ['Payment', 'PaymentCreate', 'Adjustment', 'AdjustmentCreate', 'Credit', 'CreditCreate', 'Charge', 'ChargePage']) {
      expect(doc.components.schemas[name], name).toBeDefined();
    }
    expect(createApiRoutes().routes.filter((r) => r.tag === 'Ledger')).toHaveLength(9);
  });
});

describe('ledger invariant', () => {
  it('holds for every account after all of the above, and a corrupted balance is reported', async () => {
    const clean = await store.ledger.verify();
    expect(clean.mismatches).toEqual([]);
    expect(clean.accounts).toBeGreaterThan(10);

    const id = await newAccount();
    await call('POST', '/api/v1/payments', { accountId: id, amount: 500, externalId: externalId() });
    await testSql!.sql.query('UPDATE accounts SET balance = balance + 7 WHERE id = $1', [id]);
    expect((await store.ledger.verify()).mismatches).toEqual([{ accountId: id, balance: 507, expected: 500 }]);
    await testSql!.sql.query('UPDATE accounts SET balance = balance - 7 WHERE id = $1', [id]);
    expect((await store.ledger.verify()).mismatches).toEqual([]);
  });
});

describe('tollgate ledger verify (built CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-ledger-cli-'));
  let configFile = '';
  /** The database the CLI opens, for the test to write into (PGlite must be closed before the CLI opens it). */
  let withDatabase: <T>(fn: (sql: Sql) => Promise<T>) => Promise<T>;

  const cli = (...args: string[]) => runCli(configFile, 'ledger', 'verify', ...args);

  beforeAll(async () => {
    await buildCli();
    // With PostgreSQL, the schema this file's tests wrote into.
    configFile = await writeCliConfig(dir, testSql, 1);
    if (process.env.TEST_DATABASE_URL) {
      withDatabase = (fn) => fn(testSql!.sql);
    } else {
      withDatabase = async (fn) => {
        const sql = await createPGliteSql(join(dir, 'pglite'));
        try {
          return await fn(sql);
        } finally {
          await sql.close();
        }
      };
      await withDatabase(async (sql) => {
        await runMigrations(sql);
        const cliStore = createStore(sql);
        for (const amount of [100, 200]) {
          const a = await cliStore.accounts.create({});
          await cliStore.ledger.pay({ accountId: a.id, amount, externalId: externalId() });
          await cliStore.ledger.adjust({ accountId: a.id, amount: -5, reason: 'fee' });
        }
      });
    }
  }, 180_000);

  it('exits 0 with "N accounts, 0 mismatches", or the result object with --json', async () => {
    const n = await withDatabase(async (sql) => (await createStore(sql).ledger.verify()).accounts);
    const text = await cli();
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`^ledger: ${n} accounts, 0 mismatches; \\d+ sessions, 0 charge mismatches, 0 time mismatches; \\d+ usage months, 0 traffic mismatches; journal: 0 stranded, 0 rejected\\n$`));
    const json = await cli('--json');
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ accounts: n, mismatches: [], sessionCharges: { count: 0 }, journal: { stranded: 0, rejected: 0 }, problems: 0 });
  }, 60_000);

  it('exits 1 and prints each mismatch when a balance is corrupted', async () => {
    const id = await withDatabase(async (sql) => {
      const [row] = await sql.query<{ id: number; balance: number }>('UPDATE accounts SET balance = balance + 3 WHERE id = (SELECT min(id) FROM accounts) RETURNING id, balance');
      return row!.id;
    });
    try {
      const text = await cli();
      expect(text.code, text.stderr).toBe(1);
      expect(text.stdout).toMatch(new RegExp(`^account ${id}: balance -?\\d+, expected -?\\d+ \\(difference 3\\)\\nledger: \\d+ accounts, 1 mismatches; `));
      const json = await cli('--json');
      expect(json.code).toBe(1);
      expect((JSON.parse(json.stdout) as { mismatches: { accountId: number }[] }).mismatches.map((m) => m.accountId)).toEqual([id]);
    } finally {
      await withDatabase((sql) => sql.query('UPDATE accounts SET balance = balance - 3 WHERE id = $1', [id]));
    }
  }, 60_000);
});
