/**
 * Money bounds (docs/accounting.md "Limits of money"): amounts, resulting balances, credit limits and credits
 * are bounded by ±10^15 minor units inside the transaction that books them (422 AMOUNT_OUT_OF_RANGE), the
 * database's range CHECKs are mapped to the same error, and every reader survives a legacy row beyond 2^53 —
 * written here before migration 9, as an existing database would hold it. Also: a payment externalId is trimmed,
 * so a redelivery with stray whitespace is still the same payment. PGlite, or PostgreSQL with TEST_DATABASE_URL.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account, Subscriber } from '../../src/domain/types.js';
import { available, loadStatement } from '../../src/portal/account-view.js';
import { formatMoney } from '../../src/portal/money.js';
import { grantPromisedPayment } from '../../src/portal/promised-payment.js';
import { toStoreError, withStoreErrors } from '../../src/store/db-errors.js';
import { MIGRATIONS, runMigrations } from '../../src/store/migrations.js';
import { StoreError, type Store } from '../../src/domain/ports.js';
import { createStore } from '../../src/store/store.js';
import { expectError, startTestApi, type ApiReply, type TestApi } from '../helpers/api.js';
import { createTestSql, type TestSql } from '../helpers/sql.js';

const LIMIT = 1_000_000_000_000_000;
const BEYOND_2_53 = '1152921504606846976'; // 2^60
const CLAMPED = Number.MAX_SAFE_INTEGER;

let db: TestSql;
let store: Store;
let api: TestApi;
/** Accounts written before migration 9 with values no JS number holds exactly. */
const legacy = { rich: 0, poor: 0, poorSubscriber: 0 };

const ext = (): string => `psp:${randomBytes(6).toString('hex')}`;

function expectOutOfRange(r: ApiReply, field?: string): void {
  expectError(r, 422, 'AMOUNT_OUT_OF_RANGE', field);
  expect(r.json.error?.message, r.text).toContain('1000000000000000');
}

async function newAccount(creditLimit = 0): Promise<number> {
  const r = await api.call('POST', '/api/v1/accounts', { creditLimit });
  expect(r.status, r.text).toBe(201);
  return r.json.id as number;
}

const balanceOf = async (id: number): Promise<unknown> => (await api.call('GET', `/api/v1/accounts/${id}`)).json.balance;

beforeAll(async () => {
  db = await createTestSql();
  // The database as an older release left it: no range constraints yet, and rows beyond 2^53.
  await runMigrations(db.sql, undefined, MIGRATIONS.filter((m) => m.version < 9));
  await db.sql.transaction(async (tx) => {
    const [rich] = await tx.query<{ id: number }>("INSERT INTO accounts (balance, credit_limit, state) VALUES ($1::bigint, $1::bigint * 2, 'active') RETURNING id", [BEYOND_2_53]);
    await tx.query('INSERT INTO payments (account_id, amount, external_id) VALUES ($1, $2::bigint, $3)', [rich!.id, BEYOND_2_53, ext()]);
    await tx.query("INSERT INTO credits (account_id, amount, expires_at, reason) VALUES ($1, $2::bigint, now() + interval '1 day', 'legacy')", [rich!.id, BEYOND_2_53]);
    const [poor] = await tx.query<{ id: number }>("INSERT INTO accounts (balance, state) VALUES (-$1::bigint, 'blocked') RETURNING id", [BEYOND_2_53]);
    await tx.query("INSERT INTO charges (account_id, kind, amount, comment) VALUES ($1, 'one_off', $2::bigint, 'legacy')", [poor!.id, BEYOND_2_53]);
    await tx.query("INSERT INTO credits (account_id, amount, expires_at, reason) VALUES ($1, $2::bigint / 256, now() + interval '1 day', 'legacy')", [poor!.id, BEYOND_2_53]);
    await tx.query("INSERT INTO adjustments (account_id, amount, reason) VALUES ($1, $2::bigint, 'legacy'), ($1, -$2::bigint, 'legacy')", [poor!.id, BEYOND_2_53]);
    legacy.rich = rich!.id;
    legacy.poor = poor!.id;
  });
  await runMigrations(db.sql);
  store = createStore(db.sql);
  const subscriber = await store.subscribers.create({ username: `legacy-${randomBytes(3).toString('hex')}`, password: 'legacy-pw', accountId: legacy.poor });
  legacy.poorSubscriber = subscriber.id;
  api = await startTestApi(store);
});

afterAll(async () => {
  await api?.close();
  await db?.cleanup();
});

describe('money past 2^53 breaks accounts', () => {
  it('refuses a payment, adjustment, credit or credit limit beyond 10^15 with 422 AMOUNT_OUT_OF_RANGE, and every account still reads', async () => {
    const id = await newAccount();
    for (const amount of [Number.MAX_SAFE_INTEGER, LIMIT + 1]) {
      expectOutOfRange(await api.call('POST', '/api/v1/payments', { accountId: id, amount, externalId: ext() }), 'amount');
      expectOutOfRange(await api.call('POST', '/api/v1/adjustments', { accountId: id, amount, reason: 'x' }), 'amount');
      expectOutOfRange(await api.call('POST', '/api/v1/adjustments', { accountId: id, amount: -amount, reason: 'x' }), 'amount');
      expectOutOfRange(await api.call('POST', `/api/v1/accounts/${id}/credits`, { amount, days: 1, reason: 'x' }), 'amount');
      expectOutOfRange(await api.call('POST', '/api/v1/accounts', { creditLimit: amount }), 'creditLimit');
      expectOutOfRange(await api.call('PATCH', `/api/v1/accounts/${id}`, { creditLimit: amount }), 'creditLimit');
    }
    // A number JSON cannot carry exactly is invalid input, not an amount out of range.
    expectError(await api.call('POST', '/api/v1/payments', { accountId: id, amount: 2 ** 60, externalId: ext() }), 400, 'VALIDATION_FAILED', 'amount');
    expectError(await api.call('POST', '/api/v1/adjustments', { accountId: id, amount: -(2 ** 60), reason: 'x' }), 400, 'VALIDATION_FAILED', 'amount');
    // The store refuses them too (the CLI and the portal write through it).
    const err = await store.ledger.pay({ accountId: id, amount: Number.MAX_SAFE_INTEGER, externalId: ext() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('STORE_OUT_OF_RANGE');
    await expect(store.accounts.update(id, { creditLimit: LIMIT + 1 })).rejects.toMatchObject({ code: 'STORE_OUT_OF_RANGE', field: 'creditLimit' });

    expect(await api.call('GET', `/api/v1/accounts/${id}`)).toMatchObject({ status: 200, json: { balance: 0, creditLimit: 0, activeCredit: 0 } });
    const list = await api.call('GET', '/api/v1/accounts?limit=1000');
    expect(list.status, list.text).toBe(200);
    // The limit itself is allowed.
    expect((await api.call('POST', '/api/v1/payments', { accountId: id, amount: LIMIT, externalId: ext() })).status).toBe(201);
    expect((await api.call('PATCH', `/api/v1/accounts/${id}`, { creditLimit: LIMIT })).status).toBe(200);
    expect(await balanceOf(id)).toBe(LIMIT);
  });

  it('refuses a write whose resulting balance or active credit would pass ±10^15, inside the booking transaction', async () => {
    const id = await newAccount();
    expect((await api.call('POST', '/api/v1/payments', { accountId: id, amount: LIMIT, externalId: ext() })).status).toBe(201);
    expectOutOfRange(await api.call('POST', '/api/v1/payments', { accountId: id, amount: 1, externalId: ext() }), 'amount');
    expectOutOfRange(await api.call('POST', '/api/v1/adjustments', { accountId: id, amount: 1, reason: 'x' }), 'amount');
    expect((await api.call('POST', '/api/v1/adjustments', { accountId: id, amount: -LIMIT, reason: 'x' })).status).toBe(201);
    expect((await api.call('POST', '/api/v1/adjustments', { accountId: id, amount: -LIMIT, reason: 'x' })).status).toBe(201);
    expect(await balanceOf(id)).toBe(-LIMIT);
    expectOutOfRange(await api.call('POST', '/api/v1/adjustments', { accountId: id, amount: -1, reason: 'x' }), 'amount');
    expect(await balanceOf(id)).toBe(-LIMIT);

    expect((await api.call('POST', `/api/v1/accounts/${id}/credits`, { amount: LIMIT, days: 1, reason: 'x' })).status).toBe(201);
    expectOutOfRange(await api.call('POST', `/api/v1/accounts/${id}/credits`, { amount: 1, days: 1, reason: 'x' }), 'amount');
    expect((await api.call('GET', `/api/v1/accounts/${id}/credits`)).json.total).toBe(1);

    // Concurrent payments queue on the account row: exactly as many as fit are booked.
    const racing = await newAccount();
    const replies = await Promise.all(Array.from({ length: 6 }, () => api.call('POST', '/api/v1/payments', { accountId: racing, amount: LIMIT / 4, externalId: ext() })));
    expect(replies.map((r) => r.status).sort()).toEqual([201, 201, 201, 201, 422, 422]);
    expect(await balanceOf(racing)).toBe(LIMIT);
    expect((await store.ledger.verify()).mismatches).toEqual([]);
  });

  it('maps the database range constraints (SQLSTATE 23514) to STORE_OUT_OF_RANGE and AMOUNT_OUT_OF_RANGE', async () => {
    const direct = withStoreErrors(db.sql);
    const id = await newAccount();
    const writes: [string, unknown[], string][] = [
      ['INSERT INTO payments (account_id, amount, external_id) VALUES ($1, $2::bigint, $3)', [id, BEYOND_2_53, ext()], 'amount'],
      ["INSERT INTO adjustments (account_id, amount, reason) VALUES ($1, -$2::bigint, 'x')", [id, BEYOND_2_53], 'amount'],
      ["INSERT INTO credits (account_id, amount, expires_at) VALUES ($1, $2::bigint, now() + interval '1 day')", [id, BEYOND_2_53], 'amount'],
      ["INSERT INTO charges (account_id, kind, amount) VALUES ($1, 'one_off', $2::bigint)", [id, BEYOND_2_53], 'amount'],
      ['UPDATE accounts SET balance = $2::bigint WHERE id = $1', [id, BEYOND_2_53], 'balance'],
      ['UPDATE accounts SET credit_limit = $2::bigint WHERE id = $1', [id, BEYOND_2_53], 'creditLimit'],
    ];
    for (const [text, params, field] of writes) {
      const err = await direct.query(text, params).catch((e: unknown) => e);
      expect(err, text).toBeInstanceOf(StoreError);
      expect([(err as StoreError).code, (err as StoreError).field], text).toEqual(['STORE_OUT_OF_RANGE', field]);
      expect((err as StoreError).message).toContain('1000000000000000');
    }
    // Any other CHECK stays what it was (a plain database error).
    const other = Object.assign(new Error('check'), { code: '23514', constraint: 'payments_amount_check' });
    expect(toStoreError(other)).toBe(other);
    // A legacy row beyond the bounds cannot be updated without coming back into range: 422, not 500.
    expectOutOfRange(await api.call('PATCH', `/api/v1/accounts/${legacy.rich}`, { creditLimit: 5 }), 'balance');
  });
});

describe('legacy money beyond 2^53 is read, clamped to ±(2^53 − 1)', () => {
  it('answers the accounts, statements and credits with 200 instead of 500', async () => {
    const list = await api.call('GET', '/api/v1/accounts?limit=1000');
    expect(list.status, list.text).toBe(200);
    expect(await api.call('GET', `/api/v1/accounts/${legacy.rich}`)).toMatchObject({ status: 200, json: { balance: CLAMPED, creditLimit: CLAMPED, activeCredit: CLAMPED } });
    expect(await api.call('GET', `/api/v1/accounts/${legacy.poor}`)).toMatchObject({ status: 200, json: { balance: -CLAMPED, activeCredit: 2 ** 52, state: 'blocked' } });
    const payments = await api.call('GET', `/api/v1/accounts/${legacy.rich}/payments`);
    expect(payments.status, payments.text).toBe(200);
    expect((payments.json.items as { amount: number }[]).map((p) => p.amount)).toEqual([CLAMPED]);
    const charges = await api.call('GET', `/api/v1/accounts/${legacy.poor}/charges`);
    expect((charges.json.items as { amount: number }[]).map((c) => c.amount)).toEqual([CLAMPED]);
    const adjustments = await api.call('GET', `/api/v1/accounts/${legacy.poor}/adjustments`);
    expect((adjustments.json.items as { amount: number }[]).map((a) => a.amount).sort((x, y) => x - y)).toEqual([-CLAMPED, CLAMPED]);
    const credits = await api.call('GET', `/api/v1/accounts/${legacy.rich}/credits`);
    expect((credits.json.items as { amount: number }[]).map((c) => c.amount)).toEqual([CLAMPED]);
    // The check compares exactly, in SQL: the legacy accounts hold.
    expect((await store.ledger.verify()).mismatches).toEqual([]);
  });

  it('renders the portal statement and the promised payment of such an account', async () => {
    const account = (await store.accounts.get(legacy.poor)) as Account;
    const subscriber = (await store.subscribers.get(legacy.poorSubscriber)) as Subscriber;
    const statement = await loadStatement(store, subscriber, account, { timeZone: 'UTC' });
    expect(statement.thisMonth.total).toBe(CLAMPED);
    expect(statement.thisMonth.lines.map((l) => l.amount)).toEqual([CLAMPED]);
    expect(available(account)).toBe(-CLAMPED + 2 ** 52);
    expect(formatMoney(available(account), 'EUR', 'en')).toMatch(/^-€/);
    // balance + creditLimit + activeCredit of clamped values saturates instead of leaving the safe range.
    const rich = (await store.accounts.get(legacy.rich)) as Account;
    expect(available(rich)).toBe(CLAMPED);
    expect(formatMoney(available(rich), 'EUR', 'en')).toMatch(/^€/);
    const policy = { enabled: true, amount: 2000, days: 3, minIntervalDays: 30 };
    expect(await grantPromisedPayment(store, policy, legacy.poorSubscriber, legacy.poor)).toEqual({ kind: 'not_enough' });
  });
});

describe('payment externalId with surrounding whitespace', () => {
  it('"dup-1 " books no second payment next to "dup-1": the id is trimmed', async () => {
    const id = await newAccount();
    const key = ext();
    const first = await api.call('POST', '/api/v1/payments', { accountId: id, amount: 100, externalId: key });
    expect(first.status, first.text).toBe(201);
    for (const variant of [`${key} `, ` ${key}`, `\u00a0${key}\u2003`]) {
      const again = await api.call('POST', '/api/v1/payments', { accountId: id, amount: 100, externalId: variant });
      expect(again.status, again.text).toBe(200);
      expect(again.json).toEqual(first.json);
    }
    expect(await balanceOf(id)).toBe(100);
    const viaStore = await store.ledger.pay({ accountId: id, amount: 5, externalId: `  ${key}-store  ` });
    expect(viaStore.payment.externalId).toBe(`${key}-store`);
    expect((await store.ledger.pay({ accountId: id, amount: 5, externalId: `${key}-store` })).created).toBe(false);
    expectError(await api.call('POST', '/api/v1/payments', { accountId: id, amount: 1, externalId: '   ' }), 400, 'VALIDATION_FAILED', 'externalId');
    expect(await balanceOf(id)).toBe(105);
  });
});
