/**
 * Daily fees against the real schema (PGlite by default, PostgreSQL with TEST_DATABASE_URL): subscription
 * bookkeeping by the subscribers repository, chargeDailyFees (exact month sums, idempotence, concurrent runs,
 * blocking), and the FeeScheduler (catch-up, time zone). Tests share one database and use disjoint years;
 * assertions are per account or subscription, since earlier tests' subscriptions stay active.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeeScheduler, type FeeSchedulerLog } from '../../src/billing/fee-scheduler.js';
import { addDays, daysInMonth } from '../../src/billing/core/calendar.js';
import { feeForDay } from '../../src/billing/core/rating.js';
import { chargeDailyFees, feeRunRepository } from '../../src/store/repositories/fees.js';
import { withStoreErrors } from '../../src/store/db-errors.js';
import type { Store, SubscriberRepository } from '../../src/domain/ports.js';
import type { Sql } from '../../src/store/sql.js';
import { subscriberRepository } from '../../src/store/repositories/subscribers.js';
import { createStore } from '../../src/store/store.js';
import { createTestSql, type TestSql } from '../helpers/sql.js';

let testSql: TestSql;
let sql: Sql;
let store: Store;
let clock = new Date('2030-01-01T12:00:00Z');
const now = (): Date => clock;
let subscribers: SubscriberRepository;
let seq = 0;

const quietLog: FeeSchedulerLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Noon UTC of `day` (the same calendar day in UTC). */
const noon = (day: string): Date => new Date(`${day}T12:00:00Z`);

async function tariff(monthlyFee: number): Promise<number> {
  return (await store.tariffs.create({ name: `fee-${monthlyFee}-${++seq}`, monthlyFee })).id;
}

async function subscriber(tariffId: number | null, extra: { creditLimit?: number; status?: 'active' | 'suspended' | 'disabled' } = {}) {
  const account = await store.accounts.create({ creditLimit: extra.creditLimit ?? 10_000_000 });
  const s = await subscribers.create({
    username: `fees-${++seq}`,
    password: 'pw',
    accountId: account.id,
    tariffId,
    ...(extra.status ? { status: extra.status } : {}),
  });
  return { accountId: account.id, subscriberId: s.id };
}

interface SubscriptionRow {
  id: number;
  tariff_id: number;
  activated_on: string;
  ends_on: string | null;
}

async function subscriptionsOf(subscriberId: number): Promise<SubscriptionRow[]> {
  return sql.query<SubscriptionRow>('SELECT id, tariff_id, activated_on, ends_on FROM subscriptions WHERE subscriber_id = $1 ORDER BY id', [
    subscriberId,
  ]);
}

async function feesOf(accountId: number): Promise<{ fee_day: string; amount: number; subscription_id: number }[]> {
  return sql.query('SELECT fee_day, amount, subscription_id FROM charges WHERE account_id = $1 AND kind = $2 ORDER BY fee_day, id', [accountId, 'fee']);
}

async function balance(accountId: number): Promise<number> {
  return (await store.accounts.get(accountId))!.balance;
}

async function runDays(from: string, to: string): Promise<void> {
  for (let day = from; day <= to; day = addDays(day, 1)) await chargeDailyFees(sql, day, { chunkSize: 3 });
}

beforeAll(async () => {
  testSql = await createTestSql({ migrate: true, max: 6 });
  sql = testSql.sql;
  store = createStore(sql);
  subscribers = subscriberRepository(withStoreErrors(sql), { now });
}, 60_000);

afterAll(async () => {
  const { mismatches } = await store.ledger.verify();
  expect(mismatches).toEqual([]);
  await testSql.cleanup();
});

describe('subscription bookkeeping', () => {
  it('opens, ends and splits subscriptions with the subscriber', async () => {
    clock = noon('2029-03-10');
    const t1 = await tariff(30_000);
    const t2 = await tariff(60_000);
    const none = await subscriber(null);
    expect(await subscriptionsOf(none.subscriberId)).toEqual([]);
    const disabled = await subscriber(t1, { status: 'disabled' });
    expect(await subscriptionsOf(disabled.subscriberId)).toEqual([]);

    const a = await subscriber(t1);
    expect(await subscriptionsOf(a.subscriberId)).toMatchObject([{ tariff_id: t1, activated_on: '2029-03-10', ends_on: null }]);
    // A change the same day, nothing charged yet: the day-old subscription is replaced, not ended.
    await subscribers.update(a.subscriberId, { tariffId: t2 });
    expect(await subscriptionsOf(a.subscriberId)).toMatchObject([{ tariff_id: t2, activated_on: '2029-03-10', ends_on: null }]);
    // Patches that do not touch tariff/status/account leave it alone; so does the same tariff again.
    await subscribers.update(a.subscriberId, { framedPool: 'p1' });
    await subscribers.update(a.subscriberId, { tariffId: t2, status: 'active' });
    expect(await subscriptionsOf(a.subscriberId)).toHaveLength(1);

    clock = noon('2029-03-12');
    // Suspended keeps paying; disabled ends (yesterday); enabled again opens from today.
    await subscribers.update(a.subscriberId, { status: 'suspended' });
    expect(await subscriptionsOf(a.subscriberId)).toMatchObject([{ tariff_id: t2, ends_on: null }]);
    await subscribers.update(a.subscriberId, { status: 'disabled' });
    expect(await subscriptionsOf(a.subscriberId)).toMatchObject([{ tariff_id: t2, activated_on: '2029-03-10', ends_on: '2029-03-11' }]);
    await subscribers.update(a.subscriberId, { status: 'active' });
    expect(await subscriptionsOf(a.subscriberId)).toMatchObject([{ ends_on: '2029-03-11' }, { tariff_id: t2, activated_on: '2029-03-12', ends_on: null }]);
    // Removing the tariff ends it; today's activation had nothing charged, so it goes.
    await subscribers.update(a.subscriberId, { tariffId: null });
    expect(await subscriptionsOf(a.subscriberId)).toMatchObject([{ ends_on: '2029-03-11' }]);

    // Deleting the subscriber ends its subscription (which then keeps no subscriber).
    const b = await subscriber(t1);
    clock = noon('2029-03-20');
    const [open] = await subscriptionsOf(b.subscriberId);
    expect(await subscribers.delete(b.subscriberId)).toBe(true);
    expect(await subscribers.delete(b.subscriberId)).toBe(false);
    expect(await sql.query('SELECT subscriber_id, ends_on FROM subscriptions WHERE id = $1', [open!.id])).toEqual([
      { subscriber_id: null, ends_on: '2029-03-19' },
    ]);
  });

  it('a change after today was charged takes effect tomorrow: no day is charged twice', async () => {
    clock = noon('2029-06-01');
    const t1 = await tariff(30_000);
    const t2 = await tariff(90_000);
    const a = await subscriber(t1);
    await chargeDailyFees(sql, '2029-06-01');
    await subscribers.update(a.subscriberId, { tariffId: t2 }); // same day, after the run
    expect(await subscriptionsOf(a.subscriberId)).toMatchObject([
      { tariff_id: t1, activated_on: '2029-06-01', ends_on: '2029-06-01' },
      { tariff_id: t2, activated_on: '2029-06-02', ends_on: null },
    ]);
    await chargeDailyFees(sql, '2029-06-01');
    await chargeDailyFees(sql, '2029-06-02');
    expect((await feesOf(a.accountId)).map((c) => [c.fee_day, c.amount])).toEqual([
      ['2029-06-01', 1000],
      ['2029-06-02', 3000],
    ]);
  });
});

describe('chargeDailyFees', () => {
  it('tariff changes racing the run of the day: each subscriber is charged at most once, within its periods', async () => {
    clock = noon('2029-09-01');
    const t1 = await tariff(30_000);
    const t2 = await tariff(60_000);
    const subs = [];
    for (let i = 0; i < 8; i++) subs.push(await subscriber(t1));
    await chargeDailyFees(sql, '2029-09-01');
    clock = noon('2029-09-02');
    await Promise.all([
      chargeDailyFees(sql, '2029-09-02', { chunkSize: 2 }),
      ...subs.map((s, i) => subscribers.update(s.subscriberId, { tariffId: i % 2 === 0 ? t2 : null })),
      chargeDailyFees(sql, '2029-09-02', { chunkSize: 3 }),
    ]);
    await chargeDailyFees(sql, '2029-09-02');
    for (const s of subs) {
      const rows = await feesOf(s.accountId);
      expect(rows.filter((r) => r.fee_day === '2029-09-02').length).toBeLessThanOrEqual(1);
      const periods = await subscriptionsOf(s.subscriberId);
      for (const r of rows) {
        const p = periods.find((x) => x.id === r.subscription_id)!;
        expect(p.activated_on <= r.fee_day && (p.ends_on === null || p.ends_on >= r.fee_day)).toBe(true);
      }
    }
    expect((await store.ledger.verify()).mismatches).toEqual([]);
  });

  it('a month of daily runs sums to each fee exactly; re-runs charge nothing', async () => {
    clock = noon('2030-04-01');
    const fees = [50_000, 7, 99_999, 1, 29, 31];
    const subs = [];
    for (const fee of fees) subs.push({ fee, ...(await subscriber(await tariff(fee))) });
    const zero = await subscriber(await tariff(0));
    await runDays('2030-04-01', '2030-04-30');
    for (const s of subs) {
      const rows = await feesOf(s.accountId);
      expect(rows.reduce((sum, r) => sum + r.amount, 0)).toBe(s.fee);
      expect(rows.every((r) => r.amount > 0)).toBe(true); // zero-amount days insert no row
      expect(await balance(s.accountId)).toBe(-s.fee);
    }
    expect(await feesOf(subs[1]!.accountId)).toHaveLength(7);
    expect(await feesOf(zero.accountId)).toEqual([]);
    const again = await chargeDailyFees(sql, '2030-04-17');
    expect(again).toMatchObject({ charged: 0, amount: 0, accountStateChanges: [], busy: false });
    expect((await store.ledger.verify()).mismatches).toEqual([]);
  });

  it('activation mid-month charges from the activation day', async () => {
    clock = noon('2030-02-15');
    const s = await subscriber(await tariff(99_999));
    await runDays('2030-02-01', '2030-02-28');
    const rows = await feesOf(s.accountId);
    expect(rows[0]!.fee_day).toBe('2030-02-15');
    expect(rows.reduce((sum, r) => sum + r.amount, 0)).toBe(99_999 - Math.floor((99_999 * 14) / 28));
  });

  it('two concurrent runs of one day charge once', async () => {
    clock = noon('2030-06-01');
    const t = await tariff(30_000);
    const subs = [];
    for (let i = 0; i < 12; i++) subs.push(await subscriber(t));
    const [r1, r2, r3] = await Promise.all([
      chargeDailyFees(sql, '2030-06-05', { chunkSize: 2 }),
      chargeDailyFees(sql, '2030-06-05', { chunkSize: 5 }),
      chargeDailyFees(sql, '2030-06-05'),
    ]);
    const [rows] = await sql.query<{ n: number; total: number }>(
      "SELECT count(*) AS n, sum(amount) AS total FROM charges WHERE kind = 'fee' AND fee_day = '2030-06-05'",
    );
    expect(r1.charged + r2.charged + r3.charged).toBe(rows!.n);
    expect(r1.amount + r2.amount + r3.amount).toBe(rows!.total);
    for (const s of subs) {
      expect(await feesOf(s.accountId)).toEqual([expect.objectContaining({ fee_day: '2030-06-05', amount: 1000 })]);
      expect(await balance(s.accountId)).toBe(-1000);
    }
    expect((await store.ledger.verify()).mismatches).toEqual([]);
  });

  it('an account pushed below its allowance by a fee is blocked, and reported', async () => {
    clock = noon('2030-09-01');
    const t = await tariff(300_000); // 10 000 a day in September
    const poor = await subscriber(t, { creditLimit: 5_000 });
    const rich = await subscriber(t, { creditLimit: 0 });
    await store.ledger.pay({ accountId: rich.accountId, amount: 1_000_000, externalId: `fees-rich-${seq}` });
    const result = await chargeDailyFees(sql, '2030-09-01');
    expect(result.accountStateChanges).toContainEqual({ accountId: poor.accountId, state: 'blocked' });
    expect(result.accountStateChanges.map((c) => c.accountId)).not.toContain(rich.accountId);
    expect((await store.accounts.get(poor.accountId))!.state).toBe('blocked');
    expect((await store.accounts.get(rich.accountId))!.state).toBe('active');
    const history = await sql.query<{ state: string; reason: string }>(
      'SELECT state, reason FROM account_states WHERE account_id = $1 ORDER BY id',
      [poor.accountId],
    );
    expect(history).toEqual([
      { state: 'active', reason: 'created' },
      { state: 'blocked', reason: 'charge' },
    ]);
  });

  it('a tariff change mid-month splits the charges', async () => {
    clock = noon('2030-05-01');
    const t1 = await tariff(31_000);
    const t2 = await tariff(62_000);
    const s = await subscriber(t1);
    await runDays('2030-05-01', '2030-05-15');
    clock = noon('2030-05-16');
    await subscribers.update(s.subscriberId, { tariffId: t2 });
    await runDays('2030-05-16', '2030-05-31');
    const subs = await subscriptionsOf(s.subscriberId);
    expect(subs).toMatchObject([
      { tariff_id: t1, activated_on: '2030-05-01', ends_on: '2030-05-15' },
      { tariff_id: t2, activated_on: '2030-05-16', ends_on: null },
    ]);
    const rows = await feesOf(s.accountId);
    expect(rows).toHaveLength(31);
    const bySub = (id: number) => rows.filter((r) => r.subscription_id === id).reduce((sum, r) => sum + r.amount, 0);
    expect(bySub(subs[0]!.id)).toBe(15_000);
    expect(bySub(subs[1]!.id)).toBe(62_000 - 30_000);
    expect(await balance(s.accountId)).toBe(-47_000);
  });
});

describe('FeeScheduler', () => {
  it('catches up every missed day once', async () => {
    await sql.query('DELETE FROM fee_runs');
    await sql.query("INSERT INTO fee_runs (day) VALUES ('2031-03-04')");
    clock = noon('2031-03-05');
    const s = await subscriber(await tariff(31_000));
    const scheduler = new FeeScheduler(feeRunRepository(sql), { now, chunkSize: 4 }, quietLog);
    const first = await scheduler.runOnce();
    expect(first.days.map((d) => d.day)).toEqual(['2031-03-04', '2031-03-05']);
    clock = noon('2031-03-09'); // down for three days
    const second = await scheduler.runOnce();
    expect(second.days.map((d) => d.day)).toEqual(['2031-03-05', '2031-03-06', '2031-03-07', '2031-03-08', '2031-03-09']);
    await scheduler.runOnce();
    await Promise.all([scheduler.runOnce(), new FeeScheduler(feeRunRepository(sql), { now }, quietLog).runOnce()]); // another instance
    expect((await feesOf(s.accountId)).map((r) => [r.fee_day, r.amount])).toEqual(
      ['2031-03-05', '2031-03-06', '2031-03-07', '2031-03-08', '2031-03-09'].map((d) => [d, 1000]),
    );
    const runs = await sql.query<{ day: string }>("SELECT day FROM fee_runs WHERE day >= '2031-03-05' ORDER BY day");
    expect(runs.map((r) => r.day)).toEqual(['2031-03-05', '2031-03-06', '2031-03-07', '2031-03-08', '2031-03-09']);
  });

  it('the first run ever starts at the earliest activation, within the catch-up window', async () => {
    await sql.query('DELETE FROM fee_runs');
    clock = noon('2031-07-01');
    const warn: unknown[] = [];
    const scheduler = new FeeScheduler(feeRunRepository(sql), { now, firstRunMaxDays: 3 }, { ...quietLog, warn: (o) => warn.push(o) });
    const run = await scheduler.runOnce();
    expect(run.days.map((d) => d.day)).toEqual(['2031-06-28', '2031-06-29', '2031-06-30', '2031-07-01']);
    expect(warn).toHaveLength(1);
  });

  it('respects the day boundary of its time zone (Asia/Vladivostok)', async () => {
    await sql.query('DELETE FROM fee_runs');
    await sql.query("INSERT INTO fee_runs (day) VALUES ('2034-06-29')");
    const tz = 'Asia/Vladivostok';
    const vlad = subscriberRepository(withStoreErrors(sql), { now, feeTimeZone: tz });
    clock = new Date('2034-06-30T14:30:00Z'); // 00:30 on July 1st in Vladivostok, still June 30th in UTC
    const t = await tariff(30_000); // 1000 a day in June, 30000/31 in July
    const account = await store.accounts.create({ creditLimit: 1_000_000 });
    const sub = await vlad.create({ username: `fees-vlad-${++seq}`, password: 'pw', accountId: account.id, tariffId: t });
    expect(await subscriptionsOf(sub.id)).toMatchObject([{ activated_on: '2034-07-01' }]);
    const changes: unknown[] = [];
    const scheduler = new FeeScheduler(feeRunRepository(sql), { now, timeZone: tz, intervalMs: 3_600_000 }, quietLog, (c) => changes.push(...c));
    expect(scheduler.today()).toBe('2034-07-01');
    expect(new FeeScheduler(feeRunRepository(sql), { now }, quietLog).today()).toBe('2034-06-30');
    scheduler.start();
    await new Promise((r) => setTimeout(r, 50));
    await scheduler.stop();
    const runs = await sql.query<{ day: string }>('SELECT day FROM fee_runs ORDER BY day');
    expect(runs.map((r) => r.day)).toEqual(['2034-06-29', '2034-06-30', '2034-07-01']);
    expect(await feesOf(account.id)).toEqual([
      { fee_day: '2034-07-01', amount: Number(feeForDay(30_000, '2034-07-01')), subscription_id: expect.any(Number) },
    ]);
    expect(feeForDay(30_000, '2034-07-01')).toBe(BigInt(Math.floor(30_000 / daysInMonth(2034, 7))));
    expect(() => new FeeScheduler(feeRunRepository(sql), { timeZone: 'Nowhere/Else' }, quietLog)).toThrow(RangeError);
  });
});
