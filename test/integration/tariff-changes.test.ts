/**
 * Tariff changes scheduled for the next period (docs/tariffs.md, "Tariff change now"; docs/schema.md,
 * `tariff_changes`) against the real schema (PGlite by default, PostgreSQL with TEST_DATABASE_URL): scheduling,
 * replacing and cancelling through the admin API with its validation errors and audit rows; the subscriber, the
 * overview and the portal showing the change; the fee scheduler applying it before it charges its day, at the
 * boundary and catching up over missed days, with the month's fees exact to the minor unit; two schedulers (and two
 * racing applications) applying a change once; a subscriber deleted with a change pending. The clock is fake: one
 * `now` for the store, the API and the schedulers. Tests use disjoint years and reset fee_runs where they run the
 * scheduler; the ledger must verify at the end. The scheduler tests are set in years before the wall clock's, so an
 * application that fell back on any real "today" would start the new tariff years late: only the day the scheduler
 * passes starts it on its day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeeScheduler, type FeeSchedulerLog } from '../../src/billing/fee-scheduler.js';
import { addDays, daysInMonth } from '../../src/billing/core/calendar.js';
import type { AppliedTariffChange, Store } from '../../src/domain/ports.js';
import { loadStatement } from '../../src/portal/account-view.js';
import { accountPage, widgetFragment, type PageContext } from '../../src/portal/pages.js';
import { widgetSummary } from '../../src/portal/widget.js';
import { portalSchema } from '../../src/config/portal.js';
import { feeRunRepository } from '../../src/store/repositories/fees.js';
import { applyTariffChange, dueTariffChanges } from '../../src/store/repositories/tariff-changes.js';
import type { Sql } from '../../src/store/sql.js';
import { createStore } from '../../src/store/store.js';
import { expectError, startTestApi, TEST_API_TOKEN, type ApiReply, type TestApi } from '../helpers/api.js';
import { createTestSql, type TestSql } from '../helpers/sql.js';

type J = Record<string, unknown> & { error?: { code: string; message: string; field?: string } };

let testSql: TestSql;
let sql: Sql;
let store: Store;
let api: TestApi<J>;
let clock = new Date('2040-01-15T12:00:00Z');
const now = (): Date => clock;
let seq = 0;

const quietLog: FeeSchedulerLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Noon UTC of `day`. */
const noon = (day: string): Date => new Date(`${day}T12:00:00Z`);

function call(method: string, path: string, body?: unknown, token: string = TEST_API_TOKEN, headers: Record<string, string> = {}): Promise<ApiReply<J>> {
  return api.call(method, path, body, { token, headers });
}

async function tariff(monthlyFee: number, name = `tc-${monthlyFee}-${++seq}`): Promise<{ id: number; name: string }> {
  const t = await store.tariffs.create({ name, monthlyFee, downKbps: 10_000 * (seq + 1), upKbps: 5_000 });
  return { id: t.id, name: t.name };
}

async function subscriber(tariffId: number | null): Promise<{ accountId: number; subscriberId: number; username: string }> {
  const account = await store.accounts.create({ creditLimit: 10_000_000 });
  const s = await store.subscribers.create({ username: `tc-${++seq}`, password: 'pw', accountId: account.id, tariffId });
  return { accountId: account.id, subscriberId: s.id, username: s.username };
}

const schedule = (subscriberId: number, tariffId: unknown, extra: Record<string, unknown> = {}) =>
  call('PATCH', `/api/v1/subscribers/${subscriberId}`, { tariffId, effective: 'next-period', ...extra });

async function subscriptionsOf(subscriberId: number) {
  return sql.query<{ id: number; tariff_id: number; activated_on: string; ends_on: string | null }>(
    'SELECT id, tariff_id, activated_on, ends_on FROM subscriptions WHERE subscriber_id = $1 ORDER BY id',
    [subscriberId],
  );
}

async function changesOf(subscriberId: number) {
  return sql.query<{ tariff_id: number; effective_on: string; operator_id: number | null; applied: boolean; cancelled: boolean }>(
    `SELECT tariff_id, effective_on, operator_id, applied_at IS NOT NULL AS applied, cancelled_at IS NOT NULL AS cancelled
     FROM tariff_changes WHERE subscriber_id = $1 ORDER BY id`,
    [subscriberId],
  );
}

async function feesOf(accountId: number): Promise<{ fee_day: string; amount: number; subscription_id: number }[]> {
  return sql.query("SELECT fee_day, amount, subscription_id FROM charges WHERE account_id = $1 AND kind = 'fee' ORDER BY fee_day, id", [accountId]);
}

/** Σ of the fee charges of `accountId` on days from..to. */
async function feesBetween(accountId: number, from: string, to: string): Promise<number> {
  return (await feesOf(accountId)).filter((r) => r.fee_day >= from && r.fee_day <= to).reduce((sum, r) => sum + r.amount, 0);
}

/**
 * fee_runs as if the last run was `day` (the scheduler resumes there). The changes earlier tests left pending are
 * cancelled, so that a run applies this test's alone.
 */
async function lastRunWas(day: string): Promise<void> {
  await sql.query('UPDATE tariff_changes SET cancelled_at = now() WHERE applied_at IS NULL AND cancelled_at IS NULL');
  await sql.query('DELETE FROM fee_runs');
  await sql.query('INSERT INTO fee_runs (day) VALUES ($1::date)', [day]);
}

/**
 * A fee scheduler over the real fee-run store, except that its chunks do not try the fee-run lock: advisory locks
 * are per database, not per test schema, so a chunk here holding it would make the scheduler of fees.test.ts
 * (running in parallel on PostgreSQL, in its own schema) stop as busy, and the other way round. Exactly-once never
 * rests on that lock (the unique key of charges, the applied_at claim of tariff_changes), which is what is tested.
 */
function scheduler(applied: AppliedTariffChange[] = []): FeeScheduler {
  const fees = feeRunRepository(sql);
  return new FeeScheduler({ ...fees, chargeDay: (day, options) => fees.chargeDay(day, { ...options, yieldToOtherRun: false }) }, { now }, quietLog, undefined, (c) =>
    applied.push(...c),
  );
}

beforeAll(async () => {
  testSql = await createTestSql({ migrate: true, max: 6 });
  sql = testSql.sql;
  store = createStore(sql, { now });
  api = await startTestApi<J>(store);
}, 60_000);

afterAll(async () => {
  await api?.close();
  const { mismatches } = await store.ledger.verify();
  expect(mismatches).toEqual([]);
  await testSql?.cleanup();
});

describe('scheduling through the API', () => {
  it('schedules a change for the first day of the next month; the subscriber, the list and the overview show it', async () => {
    clock = noon('2040-01-15');
    const home = await tariff(30_000);
    const fast = await tariff(60_000, `Fast ${++seq}`);
    const s = await subscriber(home.id);
    const r = await schedule(s.subscriberId, fast.id);
    expect(r.status, r.text).toBe(200);
    const expected = { tariffId: fast.id, tariffName: fast.name, effectiveOn: '2040-02-01' };
    // The tariff now is unchanged: only the scheduled change is new.
    expect(r.json).toMatchObject({ id: s.subscriberId, tariffId: home.id, scheduledTariffChange: expected });
    expect(r.json).not.toHaveProperty('effective');
    expect((await call('GET', `/api/v1/subscribers/${s.subscriberId}`)).json).toMatchObject({ tariffId: home.id, scheduledTariffChange: expected });
    const list = await call('GET', `/api/v1/subscribers?username=${s.username}`);
    expect((list.json.items as J[])[0]).toMatchObject({ scheduledTariffChange: expected });
    const overview = await call('GET', `/api/v1/subscribers/${s.subscriberId}/overview`);
    expect(overview.status, overview.text).toBe(200);
    expect((overview.json.subscriber as J).scheduledTariffChange).toEqual(expected);
    // Subscriptions are today's bookkeeping alone until the day comes.
    expect(await subscriptionsOf(s.subscriberId)).toMatchObject([{ tariff_id: home.id, activated_on: '2040-01-15', ends_on: null }]);
    expect(await changesOf(s.subscriberId)).toEqual([{ tariff_id: fast.id, effective_on: '2040-02-01', operator_id: null, applied: false, cancelled: false }]);
    // A subscriber without a scheduled change shows null, on every read.
    const other = await subscriber(home.id);
    expect((await call('GET', `/api/v1/subscribers/${other.subscriberId}`)).json.scheduledTariffChange).toBeNull();
    const created = await call('POST', '/api/v1/subscribers', { username: `tc-new-${++seq}`, password: 'pw', accountId: other.accountId, tariffId: home.id });
    expect(created.status, created.text).toBe(201);
    expect(created.json.scheduledTariffChange).toBeNull();
  });

  it('a day of December schedules for January 1st of the next year; the fee time zone decides the day', async () => {
    clock = new Date('2040-12-31T15:30:00Z'); // already January 1st, 2041 in Vladivostok (UTC+10)
    const a = await tariff(10_000);
    const b = await tariff(20_000);
    const s = await subscriber(a.id);
    expect((await schedule(s.subscriberId, b.id)).json.scheduledTariffChange).toMatchObject({ effectiveOn: '2041-01-01' });
    const vlad = createStore(sql, { now, feeTimeZone: 'Asia/Vladivostok' });
    const result = await vlad.tariffChanges.schedule({ subscriberId: s.subscriberId, tariffId: b.id, operatorId: null });
    expect(result).toMatchObject({ kind: 'scheduled', change: { effectiveOn: '2041-02-01' }, replaced: { effectiveOn: '2041-01-01' } });
  });

  it('a new schedule replaces the pending one (cancelled, one pending left); an operator is recorded and audited', async () => {
    clock = noon('2040-03-10');
    const [t1, t2, t3] = [await tariff(30_000), await tariff(40_000), await tariff(50_000)];
    const s = await subscriber(t1.id);
    expect((await schedule(s.subscriberId, t2.id)).status).toBe(200);
    // An operator's own API token this time.
    const op = await call('POST', '/api/v1/operators', { login: `tc-support-${++seq}`, role: 'support', password: 'operator-password-7c2e9a', displayName: 'Support' });
    expect(op.status, op.text).toBe(201);
    const login = await api.call('POST', '/api/v1/auth/login', { login: op.json.login, password: 'operator-password-7c2e9a' }, { token: null });
    expect(login.status, login.text).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const token = await api.call('POST', '/api/v1/tokens', { name: 'tc', expiresInDays: 30 }, { token: null, headers: { cookie, 'x-csrf-token': login.json.csrfToken as string } });
    expect(token.status, token.text).toBe(201);
    const r = await schedule(s.subscriberId, t3.id);
    expect(r.status).toBe(200);
    const byOperator = await call('PATCH', `/api/v1/subscribers/${s.subscriberId}`, { tariffId: t2.id, effective: 'next-period' }, token.json.token as string);
    expect(byOperator.status, byOperator.text).toBe(200);
    expect(byOperator.json.scheduledTariffChange).toMatchObject({ tariffId: t2.id, effectiveOn: '2040-04-01' });
    expect(await changesOf(s.subscriberId)).toEqual([
      { tariff_id: t2.id, effective_on: '2040-04-01', operator_id: null, applied: false, cancelled: true },
      { tariff_id: t3.id, effective_on: '2040-04-01', operator_id: null, applied: false, cancelled: true },
      { tariff_id: t2.id, effective_on: '2040-04-01', operator_id: op.json.id, applied: false, cancelled: false },
    ]);
    const audit = await sql.query<{ action: string; operator_id: number | null; before: { scheduledTariffChange: unknown }; after: { scheduledTariffChange: unknown } }>(
      "SELECT action, operator_id, before, after FROM audit_log WHERE target = $1 AND action = 'subscriber.update' ORDER BY id",
      [`subscriber:${s.subscriberId}`],
    );
    expect(audit.map((a) => [a.operator_id, (a.before.scheduledTariffChange as { tariffId?: number } | null)?.tariffId ?? null, (a.after.scheduledTariffChange as { tariffId: number }).tariffId])).toEqual([
      [null, null, t2.id],
      [null, t2.id, t3.id],
      [op.json.id, t3.id, t2.id],
    ]);
  });

  it('other fields of the body change now, the tariff later', async () => {
    clock = noon('2040-03-11');
    const [t1, t2] = [await tariff(30_000), await tariff(40_000)];
    const s = await subscriber(t1.id);
    const r = await schedule(s.subscriberId, t2.id, { framedPool: 'pool-b', status: 'suspended' });
    expect(r.status, r.text).toBe(200);
    expect(r.json).toMatchObject({ tariffId: t1.id, framedPool: 'pool-b', status: 'suspended', scheduledTariffChange: { tariffId: t2.id } });
  });

  it('refuses what cannot be scheduled with JSON errors, changing nothing', async () => {
    clock = noon('2040-03-12');
    const [t1, t2] = [await tariff(30_000), await tariff(40_000)];
    const s = await subscriber(t1.id);
    const path = `/api/v1/subscribers/${s.subscriberId}`;
    expectError(await call('PATCH', path, { effective: 'next-period' }), 400, 'VALIDATION_FAILED', 'effective');
    expectError(await call('PATCH', path, { tariffId: null, effective: 'next-period' }), 400, 'VALIDATION_FAILED', 'tariffId');
    expectError(await call('PATCH', path, { tariffId: t2.id, effective: 'tomorrow' }), 400, 'VALIDATION_FAILED', 'effective');
    expectError(await schedule(s.subscriberId, t1.id), 400, 'VALIDATION_FAILED', 'tariffId');
    expectError(await schedule(s.subscriberId, 99_999_999), 422, 'REFERENCE', 'tariffId');
    expectError(await call('PATCH', path, { scheduledTariffChange: null }), 400, 'VALIDATION_FAILED', 'scheduledTariffChange');
    expectError(await schedule(99_999_999, t2.id), 404, 'NOT_FOUND');
    // A refused schedule undoes the fields of the same body.
    expectError(await schedule(s.subscriberId, t1.id, { framedPool: 'never' }), 400, 'VALIDATION_FAILED', 'tariffId');
    // Request-only: not a field of a create.
    expectError(await call('POST', '/api/v1/subscribers', { username: `tc-x-${++seq}`, accountId: s.accountId, effective: 'now' }), 400, 'VALIDATION_FAILED', 'effective');
    const none = await subscriber(null);
    expectError(await schedule(none.subscriberId, t2.id), 400, 'VALIDATION_FAILED', 'effective');
    expect(await changesOf(s.subscriberId)).toEqual([]);
    expect(await changesOf(none.subscriberId)).toEqual([]);
    expect((await call('GET', path)).json).toMatchObject({ framedPool: null, scheduledTariffChange: null });
    // effective "now" is today's behaviour, the default.
    const r = await call('PATCH', path, { tariffId: t2.id, effective: 'now' });
    expect(r.json).toMatchObject({ tariffId: t2.id, scheduledTariffChange: null });
  });

  it('DELETE …/scheduled-tariff-change cancels it (204, audited); none left is 404', async () => {
    clock = noon('2040-03-13');
    const [t1, t2] = [await tariff(30_000), await tariff(40_000)];
    const s = await subscriber(t1.id);
    await schedule(s.subscriberId, t2.id);
    const path = `/api/v1/subscribers/${s.subscriberId}/scheduled-tariff-change`;
    const r = await call('DELETE', path);
    expect(r.status, r.text).toBe(204);
    expect((await call('GET', `/api/v1/subscribers/${s.subscriberId}`)).json).toMatchObject({ tariffId: t1.id, scheduledTariffChange: null });
    expect(await changesOf(s.subscriberId)).toMatchObject([{ applied: false, cancelled: true }]);
    expectError(await call('DELETE', path), 404, 'NOT_FOUND');
    expectError(await call('DELETE', '/api/v1/subscribers/99999999/scheduled-tariff-change'), 404, 'NOT_FOUND');
    const audit = await sql.query<{ before: unknown; after: unknown }>(
      "SELECT before, after FROM audit_log WHERE target = $1 AND action = 'subscriber.tariff_change_cancel'",
      [`subscriber:${s.subscriberId}`],
    );
    expect(audit).toEqual([{ before: { scheduledTariffChange: { tariffId: t2.id, tariffName: t2.name, effectiveOn: '2040-04-01' } }, after: { scheduledTariffChange: null } }]);
  });

  it('a tariff changed now cancels the scheduled change; a patch that keeps the tariff does not', async () => {
    clock = noon('2040-03-14');
    const [t1, t2, t3] = [await tariff(30_000), await tariff(40_000), await tariff(50_000)];
    const s = await subscriber(t1.id);
    await schedule(s.subscriberId, t2.id);
    await call('PATCH', `/api/v1/subscribers/${s.subscriberId}`, { tariffId: t1.id, mac: '00:11:22:33:44:55' });
    expect((await call('GET', `/api/v1/subscribers/${s.subscriberId}`)).json.scheduledTariffChange).toMatchObject({ tariffId: t2.id });
    const r = await call('PATCH', `/api/v1/subscribers/${s.subscriberId}`, { tariffId: t3.id });
    expect(r.json).toMatchObject({ tariffId: t3.id, scheduledTariffChange: null });
    expect(await changesOf(s.subscriberId)).toMatchObject([{ tariff_id: t2.id, cancelled: true, applied: false }]);
  });

  it('a tariff with a pending change cannot be deleted (409 REFERENCE)', async () => {
    clock = noon('2040-03-15');
    const [t1, t2] = [await tariff(30_000), await tariff(40_000)];
    const s = await subscriber(t1.id);
    await schedule(s.subscriberId, t2.id);
    expectError(await call('DELETE', `/api/v1/tariffs/${t2.id}`), 409, 'REFERENCE', 'tariffId');
  });
});

describe('applying (the fee scheduler)', () => {
  it('at the boundary: days before it on the old tariff, from it on the new; the change event names the subscriber', async () => {
    clock = noon('2023-01-20');
    const [old, next] = [await tariff(31_000), await tariff(62_000)];
    const s = await subscriber(old.id);
    await lastRunWas('2023-01-19');
    expect((await schedule(s.subscriberId, next.id)).json.scheduledTariffChange).toMatchObject({ effectiveOn: '2023-02-01' });
    const applied: AppliedTariffChange[] = [];
    const fees = scheduler(applied);
    clock = new Date('2023-01-31T23:59:59Z');
    await fees.runOnce();
    expect(applied).toEqual([]);
    expect((await call('GET', `/api/v1/subscribers/${s.subscriberId}`)).json).toMatchObject({ tariffId: old.id, scheduledTariffChange: { tariffId: next.id } });
    clock = new Date('2023-02-01T00:00:01Z');
    const run = await fees.runOnce();
    expect(run.days.map((d) => d.day)).toEqual(['2023-01-31', '2023-02-01']);
    expect(applied).toEqual([{ subscriberId: s.subscriberId, username: s.username, tariffId: next.id, fromDay: '2023-02-01' }]);
    const subs = await subscriptionsOf(s.subscriberId);
    expect(subs).toMatchObject([
      { tariff_id: old.id, activated_on: '2023-01-20', ends_on: '2023-01-31' },
      { tariff_id: next.id, activated_on: '2023-02-01', ends_on: null },
    ]);
    const rows = await feesOf(s.accountId);
    expect(rows.filter((r) => r.fee_day < '2023-02-01').every((r) => r.subscription_id === subs[0]!.id)).toBe(true);
    expect(rows.filter((r) => r.fee_day === '2023-02-01')).toEqual([{ fee_day: '2023-02-01', amount: Math.floor(62_000 / 28), subscription_id: subs[1]!.id }]);
    expect((await call('GET', `/api/v1/subscribers/${s.subscriberId}`)).json).toMatchObject({ tariffId: next.id, scheduledTariffChange: null });
    expect(await changesOf(s.subscriberId)).toMatchObject([{ applied: true, cancelled: false }]);
    // Applied once: a later run finds nothing due.
    await fees.runOnce();
    expect(applied).toHaveLength(1);
    // The snapshot the AAA core reads has the new tariff's speed.
    expect((await store.subscribers.snapshot(s.username))?.tariff).toMatchObject({ id: next.id });
  });

  it('catching up across the month boundary after missed days: each month exact, the new tariff from its first day', async () => {
    clock = noon('2021-01-10');
    const [old, next] = [await tariff(31_007), await tariff(28_013)];
    const s = await subscriber(old.id);
    await lastRunWas('2021-01-09');
    await schedule(s.subscriberId, next.id);
    const fees = scheduler();
    clock = noon('2021-01-12');
    await fees.runOnce();
    clock = noon('2021-02-05'); // no instance ran from January 13th to February 4th
    const run = await fees.runOnce();
    expect(run.days[0]!.day).toBe('2021-01-12');
    expect(run.days.at(-1)!.day).toBe('2021-02-05');
    clock = noon('2021-02-28');
    await fees.runOnce();
    expect(await subscriptionsOf(s.subscriberId)).toMatchObject([
      { tariff_id: old.id, activated_on: '2021-01-10', ends_on: '2021-01-31' },
      { tariff_id: next.id, activated_on: '2021-02-01', ends_on: null },
    ]);
    // January from the 10th on the old fee (k = 9 days before activation), February all on the new one (k = 0).
    expect(await feesBetween(s.accountId, '2021-01-01', '2021-01-31')).toBe(31_007 - Math.floor((31_007 * 9) / 31));
    expect(await feesBetween(s.accountId, '2021-02-01', '2021-02-28')).toBe(28_013);
  });

  it('catching up over missed days to a mid-month start: floor(old·k/D) + (new − floor(new·k/D)) to the minor unit', async () => {
    // A period that starts mid-month (the anniversary periods nextPeriodStart will compute): the pending row's day
    // is moved to the 11th, so the month splits after k = 10 days.
    clock = noon('2022-04-20');
    const [oldFee, newFee] = [45_678, 99_991];
    const [old, next] = [await tariff(oldFee), await tariff(newFee)];
    const s = await subscriber(null);
    // On the old tariff since before the month began.
    await sql.query("INSERT INTO subscriptions (account_id, subscriber_id, tariff_id, activated_on) VALUES ($1, $2, $3, '2022-04-01')", [s.accountId, s.subscriberId, old.id]);
    await sql.query('UPDATE subscribers SET tariff_id = $2 WHERE id = $1', [s.subscriberId, old.id]);
    await lastRunWas('2022-04-30');
    await schedule(s.subscriberId, next.id);
    await sql.query("UPDATE tariff_changes SET effective_on = '2022-05-11' WHERE subscriber_id = $1", [s.subscriberId]);
    const applied: AppliedTariffChange[] = [];
    const fees = scheduler(applied);
    clock = noon('2022-05-07');
    await fees.runOnce();
    clock = noon('2022-05-14'); // down from the 8th to the 13th, across the 11th
    await fees.runOnce();
    expect(applied).toEqual([{ subscriberId: s.subscriberId, username: s.username, tariffId: next.id, fromDay: '2022-05-11' }]);
    clock = noon('2022-05-31');
    await fees.runOnce();
    expect(await subscriptionsOf(s.subscriberId)).toMatchObject([
      { tariff_id: old.id, activated_on: '2022-04-01', ends_on: '2022-05-10' },
      { tariff_id: next.id, activated_on: '2022-05-11', ends_on: null },
    ]);
    const k = 10;
    const D = daysInMonth(2022, 5);
    expect(await feesBetween(s.accountId, '2022-05-01', '2022-05-31')).toBe(Math.floor((oldFee * k) / D) + (newFee - Math.floor((newFee * k) / D)));
    // Every day charged once: ten on the old subscription, the rest on the new.
    const rows = (await feesOf(s.accountId)).filter((r) => r.fee_day >= '2022-05-01');
    expect(new Set(rows.map((r) => r.fee_day)).size).toBe(rows.length);
    expect(rows.map((r) => r.fee_day)).toEqual(Array.from({ length: 31 }, (_v, i) => addDays('2022-05-01', i)));
  });

  it('two schedulers apply a change once; two racing applications claim it once', async () => {
    clock = noon('2024-06-10');
    const [old, next] = [await tariff(30_000), await tariff(60_000)];
    const a = await subscriber(old.id);
    const b = await subscriber(old.id);
    await lastRunWas('2024-06-09');
    await schedule(a.subscriberId, next.id);
    await schedule(b.subscriberId, next.id);
    clock = noon('2024-07-02');
    const applied: AppliedTariffChange[] = [];
    const runs = await Promise.all([scheduler(applied).runOnce(), scheduler(applied).runOnce()]);
    expect(runs.map((r) => r.days.at(-1)?.day)).toEqual(['2024-07-02', '2024-07-02']);
    expect(applied.map((c) => c.subscriberId).sort((x, y) => x - y)).toEqual([a.subscriberId, b.subscriberId].sort((x, y) => x - y));
    for (const s of [a, b]) {
      expect(await subscriptionsOf(s.subscriberId)).toMatchObject([
        { tariff_id: old.id, ends_on: '2024-06-30' },
        { tariff_id: next.id, activated_on: '2024-07-01', ends_on: null },
      ]);
      expect(await feesBetween(s.accountId, '2024-07-01', '2024-07-02')).toBe(Math.floor((60_000 * 2) / 31));
      expect(await feesBetween(s.accountId, '2024-06-01', '2024-06-30')).toBe(30_000 - Math.floor((30_000 * 9) / 30));
    }

    // The claim itself, raced on one change.
    const c = await subscriber(old.id);
    await schedule(c.subscriberId, next.id); // effective 2024-08-01
    const due = await sql.query<{ id: number }>('SELECT id FROM tariff_changes WHERE subscriber_id = $1 AND applied_at IS NULL AND cancelled_at IS NULL', [c.subscriberId]);
    expect(await dueTariffChanges(sql, '2024-07-31')).not.toContain(due[0]!.id);
    expect(await dueTariffChanges(sql, '2024-08-01')).toContain(due[0]!.id);
    const results = await Promise.all([applyTariffChange(sql, due[0]!.id, '2024-08-01'), applyTariffChange(sql, due[0]!.id, '2024-08-01')]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(await subscriptionsOf(c.subscriberId)).toMatchObject([{ tariff_id: old.id, ends_on: '2024-07-31' }, { tariff_id: next.id, activated_on: '2024-08-01' }]);
    // A cancelled change is not applied.
    const d = await subscriber(old.id);
    await schedule(d.subscriberId, next.id);
    const [pending] = await sql.query<{ id: number }>('SELECT id FROM tariff_changes WHERE subscriber_id = $1', [d.subscriberId]);
    await call('DELETE', `/api/v1/subscribers/${d.subscriberId}/scheduled-tariff-change`);
    expect(await applyTariffChange(sql, pending!.id, '2024-08-01')).toBeNull();
    expect((await store.subscribers.get(d.subscriberId))?.tariffId).toBe(old.id);
  });

  it('a subscriber deleted with a pending change takes the change with it; the scheduler runs on', async () => {
    clock = noon('2046-03-20');
    const [old, next] = [await tariff(30_000), await tariff(60_000)];
    const s = await subscriber(old.id);
    await lastRunWas('2046-03-19');
    await schedule(s.subscriberId, next.id);
    expect((await call('DELETE', `/api/v1/subscribers/${s.subscriberId}`)).status).toBe(204);
    expect(await changesOf(s.subscriberId)).toEqual([]);
    clock = noon('2046-04-02');
    const applied: AppliedTariffChange[] = [];
    const run = await scheduler(applied).runOnce();
    expect(run.days.at(-1)!.day).toBe('2046-04-02');
    expect(applied).toEqual([]);
    // Its subscription went with the delete (opened that day, nothing charged yet): nothing is charged after it.
    expect(await feesBetween(s.accountId, '2046-03-20', '2046-04-02')).toBe(0);
  });
});

describe('the portal', () => {
  it('shows the scheduled change under the tariff, in English and Russian, and in the widget', async () => {
    clock = noon('2047-01-15');
    const [old, next] = [await tariff(30_000, `Home ${++seq}`), await tariff(60_000, `Home <200> ${++seq}`)];
    const s = await subscriber(old.id);
    const page = async (locale: 'en' | 'ru') => {
      const subscriberRow = (await store.subscribers.get(s.subscriberId))!;
      const account = (await store.accounts.get(s.accountId))!;
      const statement = await loadStatement(store, subscriberRow, account, { timeZone: 'UTC', now: clock });
      const ctx: PageContext = { locale, nonce: 'n', portal: portalSchema.parse({}), timeZone: 'UTC' };
      const html = accountPage(ctx, {
        statement,
        reason: 'active',
        eligibility: { kind: 'disabled' },
        form: { action: '/promised', csrf: 'c', sessionId: 1 },
      });
      return { statement, html, fragment: widgetFragment(ctx, statement) };
    };
    const before = await page('en');
    expect(before.statement.scheduledTariffChange).toBeNull();
    expect(before.html).not.toContain('data-field="scheduled-tariff-change"');
    await schedule(s.subscriberId, next.id);
    const en = await page('en');
    const escaped = next.name.replace('<', '&lt;').replace('>', '&gt;');
    expect(en.html).toContain(`<p data-field="scheduled-tariff-change" data-effective-on="2047-02-01">From February 1: ${escaped}</p>`);
    expect(en.fragment).toContain(`From February 1: ${escaped}`);
    expect((await page('ru')).html).toContain(`С 1 февраля: ${escaped}`);
    expect(widgetSummary(en.statement, 'EUR').scheduledTariffChange).toEqual({ tariffId: next.id, tariffName: next.name, effectiveOn: '2047-02-01' });
  });
});
